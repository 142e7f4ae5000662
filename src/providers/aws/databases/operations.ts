import {
  AddTagsToResourceCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RemoveTagsFromResourceCommand,
} from "@aws-sdk/client-rds";
import type { DBInstance, ModifyDBInstanceMessage } from "@aws-sdk/client-rds";
import { compareAttributes, sameValue } from "../../../engine/compare.js";
import type { Operation } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import type { Attrs } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { fromAwsTags, ownership, ownershipTags, toAwsTags } from "../tags.js";
import {
  MAINTENANCE_WINDOW_PATHS,
  TAG_RESTORED_FROM,
  majorVersion,
  observedAttributes,
  snapshotName,
  stamp,
  tagRepair,
} from "./normalise.js";

/** Creating or restoring a large database takes long; these bound a wait, they are not estimates. */
const AVAILABLE_TIMEOUT_MS = 90 * 60_000;
const GONE_TIMEOUT_MS = 60 * 60_000;
const SNAPSHOT_TIMEOUT_MS = 4 * 60 * 60_000;
const POLL_MS = 15_000;

export async function describeOne(ctx: AwsContext, identifier: string): Promise<DBInstance | undefined> {
  const found = await tolerate(
    () => ctx.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })),
    "DBInstanceNotFound",
  );
  return found?.DBInstances?.[0];
}

/**
 * Waits for `available` and, when `desired` is given, for the listed attributes to read back as
 * desired: right after ModifyDBInstance, RDS still says `available` for a moment before `modifying`.
 */
export async function waitAvailable(
  ctx: AwsContext,
  identifier: string,
  op: Operation,
  desired?: Attrs,
  paths: string[] = [],
): Promise<DBInstance> {
  return waitUntil(
    async () => {
      const db = await describeOne(ctx, identifier);
      if (!db || db.DBInstanceStatus !== "available") return undefined;
      const attrs = observedAttributes(db);
      if (desired && !paths.every((p) => sameValue(desired[p], attrs[p]))) return undefined;
      return db;
    },
    {
      what: `database ${identifier} to be available`,
      timeoutMs: AVAILABLE_TIMEOUT_MS,
      intervalMs: POLL_MS,
      signal: op.signal,
      progress: op.progress,
    },
  );
}

export async function waitGone(ctx: AwsContext, identifier: string, op: Operation): Promise<void> {
  await waitUntil(async () => ((await describeOne(ctx, identifier)) ? undefined : true), {
    what: `database ${identifier} to be deleted`,
    timeoutMs: GONE_TIMEOUT_MS,
    intervalMs: POLL_MS,
    signal: op.signal,
    progress: op.progress,
  });
}

/** A manual snapshot, waited for. A re-run within the same second finds it already there. */
export async function takeSnapshot(
  ctx: AwsContext,
  source: string,
  snapshotId: string,
  tags: Record<string, string>,
  op: Operation,
): Promise<void> {
  op.progress(`taking snapshot ${snapshotId} of ${source}`);
  await tolerate(
    () =>
      ctx.rds.send(
        new CreateDBSnapshotCommand({
          DBInstanceIdentifier: source,
          DBSnapshotIdentifier: snapshotId,
          Tags: toAwsTags(tags),
        }),
      ),
    "DBSnapshotAlreadyExists",
  );
  await waitUntil(
    async () => {
      const found = await ctx.rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotId }));
      const status = found.DBSnapshots?.[0]?.Status;
      if (status === "failed" || status === "error")
        throw new Error(`snapshot ${snapshotId} of ${source} failed`);
      return status === "available" ? true : undefined;
    },
    {
      what: `snapshot ${snapshotId} to be available`,
      timeoutMs: SNAPSHOT_TIMEOUT_MS,
      intervalMs: POLL_MS,
      signal: op.signal,
      progress: op.progress,
    },
  );
}

/**
 * Deletes an instance, keeping a final snapshot of its data. AWS's deletion protection is lifted
 * only with --allow-destroy; without it, the instance stays and the error says what to do.
 * `wait: false` (--no-wait) returns once RDS accepted the deletion.
 */
export async function deleteInstance(
  ctx: AwsContext,
  identifier: string,
  op: Operation,
  options: { wait: boolean },
): Promise<void> {
  const db = await describeOne(ctx, identifier);
  if (!db) return;
  if (db.DBInstanceStatus !== "deleting") {
    if (db.DeletionProtection) {
      if (!op.allowDestroy) {
        throw new Error(
          `database ${identifier} has deletion protection on: apply with --allow-destroy, or set deletionProtection: false and apply first`,
        );
      }
      op.progress(`turning off deletion protection of ${identifier} (--allow-destroy)`);
      await ctx.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          DeletionProtection: false,
          ApplyImmediately: true,
        }),
      );
    }
    const finalSnapshot = snapshotName(identifier, "final", stamp(new Date()));
    op.progress(`deleting ${identifier}; final snapshot ${finalSnapshot}`);
    await tolerate(
      () =>
        ctx.rds.send(
          new DeleteDBInstanceCommand({
            DBInstanceIdentifier: identifier,
            FinalDBSnapshotIdentifier: finalSnapshot,
          }),
        ),
      "DBInstanceNotFound",
    );
  }
  if (options.wait) await waitGone(ctx, identifier, op);
}

/** The ModifyDBInstance fields for the attributes that differ, or undefined when none do. */
export function modification(
  desired: Attrs,
  current: Attrs,
  applyImmediately: boolean,
): { message: Omit<ModifyDBInstanceMessage, "DBInstanceIdentifier">; paths: string[] } | undefined {
  const changed = compareAttributes(desired, current, { replaceOn: [] })
    .map((c) => c.path)
    .filter(
      (p) =>
        !p.startsWith("tags.") &&
        p !== "tags" &&
        p !== "identifier" &&
        p !== "engine" &&
        !p.startsWith("restoreFrom"),
    );
  if (changed.length === 0) return undefined;
  const message: Omit<ModifyDBInstanceMessage, "DBInstanceIdentifier"> = {
    ApplyImmediately: applyImmediately,
  };
  for (const path of changed) {
    const value = desired[path];
    switch (path) {
      case "class":
        message.DBInstanceClass = String(value);
        break;
      case "engineVersion": {
        message.EngineVersion = String(value);
        const engine = String(current.engine ?? desired.engine ?? "");
        if (
          majorVersion(engine, String(value)) !== majorVersion(engine, String(current.engineVersion ?? ""))
        ) {
          message.AllowMajorVersionUpgrade = true;
        }
        break;
      }
      case "allocatedStorageGb":
        message.AllocatedStorage = Number(value);
        break;
      case "securityGroups":
        message.VpcSecurityGroupIds = (value as string[]).map(String);
        break;
      case "subnetGroup":
        message.DBSubnetGroupName = String(value);
        break;
      case "multiAz":
        message.MultiAZ = value === true;
        break;
      case "publiclyAccessible":
        message.PubliclyAccessible = value === true;
        break;
      case "backupRetentionDays":
        message.BackupRetentionPeriod = Number(value);
        break;
      case "deletionProtection":
        message.DeletionProtection = value === true;
        break;
    }
  }
  // What must read back before we call the change done: deferred changes only show in the window.
  const paths = applyImmediately ? changed : changed.filter((p) => !MAINTENANCE_WINDOW_PATHS.includes(p));
  return { message, paths };
}

/** Brings an instance's settings to `desired` (one ModifyDBInstance) and waits until they read back. */
export async function converge(
  ctx: AwsContext,
  db: DBInstance,
  desired: Attrs,
  op: Operation,
  options: { applyImmediately: boolean; password?: string; wait: boolean },
): Promise<DBInstance> {
  const identifier = db.DBInstanceIdentifier ?? "";
  const current = observedAttributes(db);
  const change = modification(desired, current, options.applyImmediately);
  if (!change && options.password === undefined) return db;
  const message = change?.message ?? { ApplyImmediately: true };
  if (options.password !== undefined) message.MasterUserPassword = options.password;
  op.progress(
    `modifying ${identifier}${change ? ` (${change.paths.join(", ") || "in the maintenance window"})` : ""}`,
  );
  const modified = await ctx.rds.send(
    new ModifyDBInstanceCommand({ DBInstanceIdentifier: identifier, ...message }),
  );
  if (!options.wait) return modified.DBInstance ?? db;
  return waitAvailable(ctx, identifier, op, desired, change?.paths ?? []);
}

/** Adds what differs and removes stray `parity:` tags (copied from a restore's source). */
export async function repairTags(
  ctx: AwsContext,
  db: DBInstance,
  want: Record<string, string>,
): Promise<void> {
  const arn = db.DBInstanceArn ?? "";
  const { add, remove } = tagRepair(fromAwsTags(db.TagList), want);
  if (remove.length > 0)
    await ctx.rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: remove }));
  if (Object.keys(add).length > 0)
    await ctx.rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: toAwsTags(add) }));
}

export function isAlreadyExists(error: unknown): boolean {
  return isAwsError(error, "DBInstanceAlreadyExists");
}

/** The user's tags plus ownership, and the restore source when the instance holds its data. */
export function instanceTags(desired: Attrs, op: Operation): Record<string, string> {
  const node = op.node!;
  const source = isPlainObject(desired.restoreFrom) ? desired.restoreFrom.snapshotOf : undefined;
  return {
    ...((desired.tags ?? {}) as Record<string, string>),
    ...ownershipTags(op.env, node.address, node.protect),
    ...(typeof source === "string" ? { [TAG_RESTORED_FROM]: source } : {}),
  };
}

export async function claimExisting(ctx: AwsContext, identifier: string, op: Operation): Promise<DBInstance> {
  const db = await describeOne(ctx, identifier);
  if (db?.DBInstanceStatus === "deleting") {
    throw new Error(`database ${identifier} is still being deleted; run apply again once it is gone`);
  }
  if (!db || ownership(fromAwsTags(db.TagList), op.env).address !== op.change.address) {
    throw new Error(`a database named ${identifier} already exists and is not managed by this environment`);
  }
  return db;
}

export async function addTags(ctx: AwsContext, db: DBInstance, want: Record<string, string>): Promise<void> {
  const have = fromAwsTags(db.TagList);
  const changed = Object.entries(want ?? {}).filter(([k, v]) => have[k] !== v);
  if (changed.length === 0) return;
  await ctx.rds.send(
    new AddTagsToResourceCommand({
      ResourceName: db.DBInstanceArn ?? "",
      Tags: toAwsTags(Object.fromEntries(changed)),
    }),
  );
}
