import type { Operation } from "../../../engine/types.js";
import { ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/**
 * A create that finds its name taken (a re-run after an interrupted apply, or a resource made
 * between plan and apply) carries on over the existing resource only when it is nobody's (the
 * interrupted call made it, the tags come in a later call) or already ours at this address.
 * `what` names it as a refusal does: `bucket web-assets`.
 */
export function ensureTakeable(what: string, tags: TagMap, op: Operation): void {
  const owner = ownershipOf(tags, op.env);
  if (owner.status === "foreign") throw new Error(`${what} already exists and belongs to ${owner.owner}`);
  if (owner.status === "ours" && owner.address !== op.change.address) {
    throw new Error(`${what} already exists and belongs to ${owner.address} of this environment`);
  }
}
