import type { Operation } from "../../../engine/types.js";
import { ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/**
 * A create that finds its resource there already is a re-run after an interrupted apply only when
 * the resource's tags put it at this very address. Anything else appeared since the plan (made by
 * hand, or by another environment) and is refused rather than taken over.
 */
export function assertMadeHere(tags: TagMap, op: Pick<Operation, "env" | "change">, what: string): void {
  const owner = ownershipOf(tags, op.env);
  if (owner.status === "ours" && owner.address === op.change.address) return;
  throw new Error(
    `${what} already exists and is not managed by this environment (re-plan to adopt it, or rename it)`,
  );
}
