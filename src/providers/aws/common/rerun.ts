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
