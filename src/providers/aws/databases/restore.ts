import { RestoreDBInstanceFromDBSnapshotCommand } from "@aws-sdk/client-rds";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { Attrs, ObservedNode } from "../../../model/index.js";
import { toAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { databaseAttributes, passwordOf } from "./desired.js";
import {
  claimExisting,
  deleteInstance,
  describeOne,
  isAlreadyExists,
  snapshotName,
  stamp,
  takeSnapshot,
  waitAvailable,
} from "./lifecycle.js";
import { finishPromotion, promotionTags, unfinishedPromotion } from "./promotion.js";
import { converge, initialSettings } from "./settings.js";
import { outputsOf } from "./observe.js";
import { databaseSpec } from "./schema.js";
import { instanceTags, repairTags } from "./tags.js";

/**
 * Data promotion: a fresh snapshot of the source, the old target (if any) kept as a final
 * snapshot and deleted, then the target restored from the new snapshot and brought to the file's
 * settings. The `parity:restoredFrom` tag records it, so the next plan does not restore again.
 */
export async function restoreInto(
  ctx: AwsContext,
  op: Operation,
  source: string,
  existing: ObservedNode | undefined,
): Promise<Outputs> {
  const desired = op.desired ?? {};
  const wanted = databaseAttributes(desired);
  const node = op.node!;
  const identifier = wanted.identifier;

  const earlier = await unfinishedPromotion(ctx, source, op.env, node.address);
  const snapshot =
    earlier?.DBSnapshotIdentifier ?? snapshotName("parity", identifier, "from", source, stamp(new Date()));
  if (earlier) op.progress(`reusing snapshot ${snapshot} of ${source}, taken by a run that did not finish`);
  const snapshotArn = await takeSnapshot(ctx, source, snapshot, promotionTags(op.env, node.address), op);

  if (existing) await deleteInstance(ctx, existing.id, op, { wait: true });

  const tags = instanceTags(op.env, node, wanted);
  try {
    op.progress(`restoring ${identifier} from ${snapshot}`);
    await ctx.rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        ...initialSettings(wanted),
        DBSnapshotIdentifier: snapshot,
        DeletionProtection: wanted.deletionProtection === true,
        Tags: toAwsTags(tags),
      }),
    );
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    await claimExisting(ctx, identifier, op);
  }
  let db = await waitAvailable(ctx, identifier, op);
  await finishPromotion(ctx, snapshotArn);
  // A restore copies the source's tags and deletion protection; make both the file's.
  await repairTags(ctx, db, tags);
  db = (await describeOne(ctx, identifier)) ?? db;
  // Restore takes no backup retention or engine version, and keeps the source's password.
  const restoredSettings: Attrs = { ...desired, deletionProtection: wanted.deletionProtection === true };
  const password = passwordOf(databaseSpec(node), op.env);
  db = await converge(ctx, db, restoredSettings, op, {
    applyImmediately: true,
    wait: !op.noWait,
    ...(password !== undefined ? { password } : {}),
  });
  return outputsOf(db);
}
