import type { Resolver } from "../../../engine/types.js";
import type { Attrs, Change, ObservedNode, Risk, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { REBOOT_PATHS, compareVersions, majorVersion, storageProblem } from "./normalise.js";
import { REFERENCE, SOURCES } from "./spec.js";
import type { Spec } from "./spec.js";

/** The identifier of the restore source: written in the file, or the identifier of a database it references. */
export function sourceOf(s: Spec, resolver: Resolver): Value | undefined {
  const source = s.restoreFrom?.snapshotOf;
  if (!source) return undefined;
  return REFERENCE.test(source) ? resolver.output(source, "identifier") : source.toLowerCase();
}

function restoreDiffers(desired: Attrs, observed: ObservedNode | undefined): boolean {
  if (!desired.restoreFrom) return false;
  return JSON.stringify(observed?.attributes.restoreFrom ?? null) !== JSON.stringify(desired.restoreFrom);
}

/** Replacement comes from the identity attributes; in-place checks only apply when the instance is kept. */
function replacing(desired: Attrs, observed: ObservedNode | undefined): boolean {
  if (!observed) return false;
  return (
    desired.identifier !== observed.attributes.identifier ||
    desired.engine !== observed.attributes.engine ||
    restoreDiffers(desired, observed)
  );
}

/** What RDS would refuse (or what a create lacks), found at plan time rather than half-way through apply. */
export function planErrors(
  s: Spec,
  desired: Attrs,
  observed: ObservedNode | undefined,
  resolver: Resolver,
): { message: string; hint?: string }[] {
  const errors: { message: string; hint?: string }[] = [];
  const restoring = !!s.restoreFrom;
  if ((!observed || replacing(desired, observed)) && !restoring) {
    if (!s.masterUsername) {
      errors.push({
        message: "masterUsername is needed to create this database",
        hint: "set masterUsername (and masterPassword: { fromEnv: VAR }), or restoreFrom",
      });
    }
    if (s.allocatedStorageGb === undefined)
      errors.push({ message: "allocatedStorageGb is needed to create this database" });
  }
  const sources = resolver.facts[SOURCES];
  const source =
    desired.restoreFrom && isPlainObject(desired.restoreFrom) ? desired.restoreFrom.snapshotOf : undefined;
  if (
    typeof source === "string" &&
    isPlainObject(sources) &&
    !(source in sources) &&
    restoreDiffers(desired, observed)
  ) {
    errors.push({
      message: `restoreFrom: no database ${source} in ${resolver.env.region}`,
      hint: "the source must be an RDS instance in the same account and region",
    });
  }
  if (observed && !replacing(desired, observed)) {
    const have = observed.attributes;
    if (typeof desired.allocatedStorageGb === "number" && typeof have.allocatedStorageGb === "number") {
      const problem = storageProblem(desired.allocatedStorageGb, have.allocatedStorageGb);
      if (problem) errors.push({ message: problem });
    }
    if (
      typeof desired.engineVersion === "string" &&
      typeof have.engineVersion === "string" &&
      compareVersions(desired.engineVersion, have.engineVersion) < 0
    ) {
      errors.push({
        message: `engineVersion cannot go down (${have.engineVersion} → ${desired.engineVersion})`,
        hint: "RDS only upgrades in place; restore a snapshot into a new database instead",
      });
    }
  }
  return errors;
}

/** Replacing or deleting loses the data; a reboot means downtime; public access is exposure. */
export function risksOf(change: Change): Risk[] {
  const risks = new Set<Risk>();
  if (change.action === "replace" || change.action === "delete") risks.add("data-loss");
  if (change.action === "replace" || change.attributes.some((a) => REBOOT_PATHS.includes(a.path)))
    risks.add("downtime");
  const opens =
    change.after?.publiclyAccessible === true &&
    (change.action === "create" ||
      change.action === "replace" ||
      change.attributes.some((a) => a.path === "publiclyAccessible"));
  if (opens) risks.add("public-exposure");
  return [...risks];
}

/** What apply will do beyond the attribute changes, in the order it does it. */
export function notesOf(change: Change, observed: ObservedNode | undefined): string[] {
  const notes: string[] = [];
  const after = change.after ?? {};
  const source = isPlainObject(after.restoreFrom) ? after.restoreFrom.snapshotOf : undefined;
  const identifier = String(after.identifier ?? observed?.id ?? "");
  const restoring =
    typeof source === "string" &&
    (change.action === "create" ||
      (change.action === "replace" && change.attributes.some((a) => a.path.startsWith("restoreFrom"))));
  if (restoring) notes.push(`take a fresh snapshot of ${source}`);
  if ((change.action === "replace" || change.action === "delete") && observed) {
    notes.push(`take a final snapshot of ${observed.id}, then delete it`);
    if (observed.attributes.deletionProtection === true) {
      notes.push(`${observed.id} has deletion protection on: it is lifted only with --allow-destroy`);
    }
  }
  if (restoring) notes.push(`restore ${identifier} from that snapshot`);
  const version = change.attributes.find((a) => a.path === "engineVersion");
  if (version && typeof version.before === "string" && typeof version.after === "string") {
    const engine = String(after.engine ?? "");
    if (majorVersion(engine, version.before) !== majorVersion(engine, version.after)) {
      notes.push(`major version upgrade ${version.before} → ${version.after}: cannot be undone`);
    }
  }
  const pending = observed?.details?.pending;
  if (isPlainObject(pending)) {
    for (const a of change.attributes) {
      if (a.deferred && a.path in pending && JSON.stringify(pending[a.path]) === JSON.stringify(a.after)) {
        notes.push(`${a.path} is already scheduled for the maintenance window`);
      }
    }
  }
  return notes;
}
