import { CreateDBInstanceCommand } from "@aws-sdk/client-rds";
import type { Operation, Outputs } from "../../../engine/types.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import { toAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { alreadyHolds, databaseAttributes, passwordOf, sourceOf } from "./desired.js";
import { claimExisting, deleteInstance, describeOne, isAlreadyExists, waitAvailable } from "./lifecycle.js";
import { converge, initialSettings } from "./settings.js";
import { arnOf, outputsOf } from "./observe.js";
import { restoreInto } from "./restore.js";
import { databaseSpec } from "./schema.js";
import { TAG_RESTORED_FROM, instanceTags, rdsTagger } from "./tags.js";

export async function createDatabase(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const wanted = databaseAttributes(op.desired ?? {});
  if (wanted.restoreFrom) return restoreInto(ctx, op, wanted.restoreFrom.snapshotOf, undefined);
  const node = op.node!;
  const identifier = wanted.identifier;
  const spec = databaseSpec(node);
  const password = passwordOf(spec, op.env);
  try {
    op.progress(`creating ${identifier}`);
    const made = await ctx.rds.send(
      new CreateDBInstanceCommand({
        ...initialSettings(wanted),
        Engine: wanted.engine,
        EngineVersion: wanted.engineVersion,
        BackupRetentionPeriod: wanted.backupRetentionDays,
        DeletionProtection: wanted.deletionProtection,
        MasterUsername: spec.masterUsername,
        // Without a password in the file, RDS keeps one in Secrets Manager: nothing secret passes through parity.
        ...(password !== undefined ? { MasterUserPassword: password } : { ManageMasterUserPassword: true }),
        Tags: toAwsTags(instanceTags(op.env, node, wanted)),
      }),
    );
    if (op.noWait && made.DBInstance) return outputsOf(made.DBInstance);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const existing = await claimExisting(ctx, identifier, op);
    if (op.noWait) return outputsOf(existing);
  }
  return outputsOf(await waitAvailable(ctx, identifier, op));
}

export async function updateDatabase(ctx: AwsContext, op: Operation): Promise<Outputs> {
  await recordRestore(ctx, op);
  const identifier = op.observed?.id ?? op.change.id ?? "";
  const db = await describeOne(ctx, identifier);
  if (!db) throw new Error(`database ${identifier} no longer exists`);
  await syncTags(ctx, rdsTagger(db.DBInstanceArn ?? ""), op);
  const done = await converge(ctx, db, op.desired ?? {}, op, {
    applyImmediately: op.node ? databaseSpec(op.node).applyImmediately !== false : true,
    wait: !op.noWait,
  });
  return outputsOf(done);
}

export async function adoptDatabase(ctx: AwsContext, op: Operation): Promise<Outputs> {
  return claimThenUpdate(rdsTagger(arnOf(op.observed)), updateDatabase)(ctx, op);
}

/** `restoreFrom.alreadyRestored`: record the restore on the database, as a restore by parity does. */
async function recordRestore(ctx: AwsContext, op: Operation): Promise<void> {
  const spec = op.node ? databaseSpec(op.node) : undefined;
  if (!spec || !alreadyHolds(spec, op.observed)) return;
  const named = sourceOf(spec, op.resolver);
  if (typeof named !== "string") return;
  await rdsTagger(arnOf(op.observed))(ctx, op.observed?.id ?? "", { [TAG_RESTORED_FROM]: named }, {});
}

export async function replaceDatabase(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const source = databaseAttributes(op.desired ?? {}).restoreFrom?.snapshotOf;
  if (source !== undefined) return restoreInto(ctx, op, source, op.observed);
  // The new instance may reuse the identifier, so the old one must be gone first.
  if (op.observed) await deleteInstance(ctx, op.observed.id, op, { wait: true });
  return createDatabase(ctx, op);
}

export async function deleteDatabase(ctx: AwsContext, op: Operation): Promise<void> {
  const id = op.observed?.id ?? op.change.id ?? "";
  await deleteInstance(ctx, id, op, { wait: !op.noWait });
}
