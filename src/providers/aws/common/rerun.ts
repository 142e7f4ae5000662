import type { Operation } from "../../../engine/types.js";
import { ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/**
 * A create AWS refused as a duplicate may be the re-run of an interrupted apply that already made
 * the resource, with our tags: carry on with it only when it is this environment's, at this very
 * address. Anything else is someone else's resource with the same name, and the create fails.
 */
export function resumeOwn<T>(
  found: T | undefined,
  tagsOf: (item: T) => TagMap,
  op: Pick<Operation, "env" | "change">,
  refusal: { what: string; hint?: string },
): T {
  if (found !== undefined) {
    const owner = ownershipOf(tagsOf(found), op.env);
    if (owner.status === "ours" && owner.address === op.change.address) return found;
  }
  const hint = refusal.hint ? ` (${refusal.hint})` : "";
  throw new Error(`${refusal.what} already exists and is not managed by this environment${hint}`);
}
