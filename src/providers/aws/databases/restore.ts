import { RestoreDBInstanceFromDBSnapshotCommand } from "@aws-sdk/client-rds";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { Attrs, ObservedNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { TAG_ENVIRONMENT, toAwsTags } from "../tags.js";
import { outputsOf, snapshotName, stamp } from "./normalise.js";
import {
  claimExisting,
  converge,
  deleteInstance,
  describeOne,
  instanceTags,
  isAlreadyExists,
  repairTags,
  takeSnapshot,
  waitAvailable,
} from "./operations.js";
import { passwordOf, spec } from "./spec.js";

/**
 * Data promotion: a fresh snapshot of the source, the old target (if any) kept as a final
 * snapshot and deleted, then the target restored from the new snapshot and brought to the file's
 * settings. The `parity:restoredFrom` tag records it, so the next plan does not restore again.
 */
export async function restoreInto(
  ctx: AwsContext,
  op: Operation,
  existing: ObservedNode | undefined,
): Promise<Outputs> {
  const desired = op.desired ?? {};
  const node = op.node!;
  const s = spec(node.spec);
  const identifier = String(desired.identifier);
  const source = String((desired.restoreFrom as { snapshotOf: Value }).snapshotOf);

  const snapshot = snapshotName("parity", identifier, "from", source, stamp(new Date()));
  await takeSnapshot(
    ctx,
    source,
    snapshot,
    { [TAG_ENVIRONMENT]: op.env.environment, "parity:snapshotFor": node.address },
    op,
  );

  if (existing) await deleteInstance(ctx, existing.id, op, { wait: true });

  const tags = instanceTags(desired, op);
  try {
    op.progress(`restoring ${identifier} from ${snapshot}`);
    await ctx.rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: identifier,
        DBSnapshotIdentifier: snapshot,
        DBInstanceClass: String(desired.class),
        ...(desired.allocatedStorageGb !== undefined
          ? { AllocatedStorage: Number(desired.allocatedStorageGb) }
          : {}),
        ...(desired.securityGroups
          ? { VpcSecurityGroupIds: (desired.securityGroups as Value[]).map(String) }
          : {}),
        ...(desired.subnetGroup !== undefined ? { DBSubnetGroupName: String(desired.subnetGroup) } : {}),
        ...(desired.multiAz !== undefined ? { MultiAZ: desired.multiAz === true } : {}),
        PubliclyAccessible: desired.publiclyAccessible === true,
        DeletionProtection: desired.deletionProtection === true,
        Tags: toAwsTags(tags),
      }),
    );
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    await claimExisting(ctx, identifier, op);
  }
  let db = await waitAvailable(ctx, identifier, op);
  // A restore copies the source's tags and deletion protection; make both the file's.
  await repairTags(ctx, db, tags);
  db = (await describeOne(ctx, identifier)) ?? db;
  // Restore takes no backup retention or engine version, and keeps the source's password.
  const restoredSettings: Attrs = { ...desired, deletionProtection: desired.deletionProtection === true };
  const password = passwordOf(s, op.env);
  db = await converge(ctx, db, restoredSettings, op, {
    applyImmediately: true,
    wait: !op.noWait,
    ...(password !== undefined ? { password } : {}),
  });
  return outputsOf(db);
}
