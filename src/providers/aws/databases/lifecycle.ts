import {
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
} from "@aws-sdk/client-rds";
import type { DBInstance } from "@aws-sdk/client-rds";
import { sameValue } from "../../../engine/compare.js";
import type { Operation } from "../../../engine/types.js";
import type { Attrs } from "../../../model/index.js";
import { fromAwsTags, toAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { resumeOwn } from "../common/rerun.js";
import { waitFor } from "../common/waiting.js";
import type { Patience } from "../common/waiting.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { observedAttributes } from "./observe.js";

// Creating, restoring or snapshotting a large database takes long: these bound a wait, they are not estimates.
const POLL_MS = 15_000;
const UNTIL_AVAILABLE: Patience = { timeoutMs: 90 * 60_000, intervalMs: POLL_MS };
const UNTIL_GONE: Patience = { timeoutMs: 60 * 60_000, intervalMs: POLL_MS };
const UNTIL_SNAPSHOT: Patience = { timeoutMs: 4 * 60 * 60_000, intervalMs: POLL_MS };

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
  return waitFor(op, `database ${identifier} to be available`, UNTIL_AVAILABLE, async () => {
    const db = await describeOne(ctx, identifier);
    if (!db || db.DBInstanceStatus !== "available") return undefined;
    const attrs = observedAttributes(db);
    if (desired && !paths.every((p) => sameValue(desired[p], attrs[p]))) return undefined;
    return db;
  });
}

export function isAlreadyExists(error: unknown): boolean {
  return isAwsError(error, "DBInstanceAlreadyExists");
}

/** After "already exists": the instance a previous, interrupted apply made, or a refusal. */
export async function claimExisting(ctx: AwsContext, identifier: string, op: Operation): Promise<DBInstance> {
  const db = await describeOne(ctx, identifier);
  if (db?.DBInstanceStatus === "deleting") {
    throw new Error(`database ${identifier} is still being deleted; run apply again once it is gone`);
  }
  return resumeOwn(db, (found) => fromAwsTags(found.TagList), op, {
    what: `a database named ${identifier}`,
  });
}

/** `20261122t005107`: letters and digits only, so it is valid inside a snapshot identifier. */
export function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/[-:]/g, "")
    .toLowerCase();
}

/** Snapshot identifiers allow letters, digits and single hyphens, up to 255 characters. */
export function snapshotName(...pieces: string[]): string {
  return pieces
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 255)
    .replace(/-$/, "");
}

/**
 * A manual snapshot, waited for; one that already exists under the name is waited for instead.
 * Resolves with its ARN.
 */
export async function takeSnapshot(
  ctx: AwsContext,
  source: string,
  snapshotId: string,
  tags: TagMap,
  op: Operation,
): Promise<string | undefined> {
  let arn: string | undefined;
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
  await waitFor(op, `snapshot ${snapshotId} to be available`, UNTIL_SNAPSHOT, async () => {
    const found = await ctx.rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotId }));
    const status = found.DBSnapshots?.[0]?.Status;
    if (status === "failed" || status === "error")
      throw new Error(`snapshot ${snapshotId} of ${source} failed`);
    arn = found.DBSnapshots?.[0]?.DBSnapshotArn;
    return status === "available" ? true : undefined;
  });
  return arn;
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
  if (options.wait) {
    await waitFor(op, `database ${identifier} to be deleted`, UNTIL_GONE, async () =>
      (await describeOne(ctx, identifier)) ? undefined : true,
    );
  }
}
