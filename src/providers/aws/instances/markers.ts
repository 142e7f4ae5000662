/** Set at adoption so an adopted member keeps satisfying `image: { fromInstance }` (see imageChoice.ts). */
export const TAG_ADOPTED = "parity:adopted";
/** Records `snapshotBeforeChange` on the instance, so removing the whole entry still snapshots first. */
export const TAG_SNAPSHOT = "parity:snapshot-before-change";
