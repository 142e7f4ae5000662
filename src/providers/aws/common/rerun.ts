import type { Operation } from "../../../engine/types.js";
import { ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/**
 * A create AWS refuses as a duplicate is usually a re-run after an interrupted apply. The resource
 * it ran into is the first run's only when its tags say it was made for this very address.
 */
export function madeForThisAddress(op: Pick<Operation, "env" | "change">, tags: TagMap): boolean {
  const owner = ownershipOf(tags, op.env);
  return owner.status === "ours" && owner.address === op.change.address;
}

/** A create that found its resource there already may carry on only over the first run's. */
export function assertMadeHere(tags: TagMap, op: Pick<Operation, "env" | "change">, what: string): void {
  if (madeForThisAddress(op, tags)) return;
  throw new Error(
    `${what} already exists and is not managed by this environment (re-plan to adopt it, or rename it)`,
  );
}

/**
 * Carry on with the resource a duplicate create ran into only when it is this environment's, at
 * this very address. Anything else is someone else's resource with the same name: the create fails.
 */
export function resumeOwn<T>(
  found: T | undefined,
  tagsOf: (item: T) => TagMap,
  op: Pick<Operation, "env" | "change">,
  refusal: { what: string; hint?: string },
): T {
  if (found !== undefined && madeForThisAddress(op, tagsOf(found))) return found;
  const hint = refusal.hint ? ` (${refusal.hint})` : "";
  throw new Error(`${refusal.what} already exists and is not managed by this environment${hint}`);
}

/**
 * For kinds whose create and tagging are two calls (the interrupted first call left it untagged):
 * a create that finds its name taken carries on over the resource when it is nobody's, or already
 * ours at this address. `what` names it as a refusal does: `bucket web-assets`.
 */
export function ensureTakeable(what: string, tags: TagMap, op: Pick<Operation, "env" | "change">): void {
  const owner = ownershipOf(tags, op.env);
  if (owner.status === "foreign") throw new Error(`${what} already exists and belongs to ${owner.owner}`);
  if (owner.status === "ours" && owner.address !== op.change.address) {
    throw new Error(`${what} already exists and belongs to ${owner.address} of this environment`);
  }
}
