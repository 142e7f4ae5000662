import { canonicalJson, sha256 } from "../../../engine/digest.js";
import type { Operation } from "../../../engine/types.js";
import type { Change, ObservedNode } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { snapshotVolumes } from "./lifecycle.js";
import { volumesOf } from "./observe.js";

/** What a plan can do to a member that `snapshotBeforeChange` protects: all but creating it. */
const CHANGING = ["update", "adopt", "replace", "delete"];

/** Whether this change snapshots the member's volumes first. */
export function snapshotsFirst(change: Change, observed: ObservedNode | undefined): boolean {
  return observed?.details?.snapshotBeforeChange === true && CHANGING.includes(change.action);
}

/**
 * The plan a snapshot is named and tagged after: the configuration's digest, which every run of
 * one file shares (the lock shows the same digest as `plan …`). Without one (an operation run
 * outside a command), the change itself stands for its plan.
 */
export function snapshotPlan(op: Pick<Operation, "env" | "change">): string {
  const { address, id, before, after } = op.change;
  const digest = op.env.planDigest ?? sha256(canonicalJson({ address, id: id ?? null, before, after }));
  return digest.slice(0, 12);
}

/** The snapshots `snapshotBeforeChange` asks for, before anything else happens to the member. */
export async function snapshotFirst(ctx: AwsContext, op: Operation): Promise<void> {
  if (!snapshotsFirst(op.change, op.observed)) return;
  await snapshotVolumes(ctx, op.observed?.id ?? "", volumesOf(op.observed), op, snapshotPlan(op));
}
