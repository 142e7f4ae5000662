import { DescribeDBInstancesCommand, paginateDescribeDBInstances } from "@aws-sdk/client-rds";
import type { DBInstance, PendingModifiedValues } from "@aws-sdk/client-rds";
import type { EnvironmentInfo, Facts } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import { fromAwsTags } from "../common/ownership.js";
import { maybeString } from "../common/readers.js";
import { anyOurs, taggedOfType } from "../common/claimTags.js";
import type { AwsContext } from "../context.js";
import { SOURCES, namedSources } from "./desired.js";
import { engineName } from "./engines.js";
import { TYPE, databaseSpec } from "./schema.js";
import { TAG_RESTORED_FROM } from "./tags.js";

/** Groups being removed are already on their way out; the rest, sorted, since AWS treats them as a set. */
function securityGroupIds(db: DBInstance): string[] {
  return (db.VpcSecurityGroups ?? [])
    .flatMap((g) => (g.VpcSecurityGroupId && g.Status !== "removing" ? [g.VpcSecurityGroupId] : []))
    .sort();
}

/** The instance as comparable attributes; absent flags are AWS's `false` defaults. */
export function observedAttributes(db: DBInstance): Attrs {
  const tags = fromAwsTags(db.TagList);
  const restoredFrom = tags[TAG_RESTORED_FROM];
  return {
    identifier: (db.DBInstanceIdentifier ?? "").toLowerCase(),
    engine: engineName(db.Engine ?? ""),
    engineVersion: db.EngineVersion ?? "",
    class: (db.DBInstanceClass ?? "").toLowerCase(),
    allocatedStorageGb: db.AllocatedStorage ?? 0,
    securityGroups: securityGroupIds(db),
    // An instance in a VPC without a named subnet group is in the VPC's `default` group.
    subnetGroup: db.DBSubnetGroup?.DBSubnetGroupName ?? "default",
    multiAz: db.MultiAZ ?? false,
    publiclyAccessible: db.PubliclyAccessible ?? false,
    backupRetentionDays: db.BackupRetentionPeriod ?? 0,
    deletionProtection: db.DeletionProtection ?? false,
    ...(restoredFrom ? { restoreFrom: { snapshotOf: restoredFrom } } : {}),
    tags,
  };
}

/** Changes requested for the maintenance window, in attribute names. */
function pendingAttributes(pending: PendingModifiedValues | undefined): Attrs {
  if (!pending) return {};
  const out: Attrs = {};
  if (pending.DBInstanceClass) out.class = pending.DBInstanceClass;
  if (pending.EngineVersion) out.engineVersion = pending.EngineVersion;
  if (pending.AllocatedStorage !== undefined) out.allocatedStorageGb = pending.AllocatedStorage;
  if (pending.MultiAZ !== undefined) out.multiAz = pending.MultiAZ;
  if (pending.BackupRetentionPeriod !== undefined) out.backupRetentionDays = pending.BackupRetentionPeriod;
  return out;
}

export function outputsOf(db: DBInstance): { [key: string]: Value } {
  const address = db.Endpoint?.Address ?? "";
  const port = db.Endpoint?.Port ?? db.DbInstancePort ?? 0;
  return {
    identifier: (db.DBInstanceIdentifier ?? "").toLowerCase(),
    address,
    port,
    endpoint: address ? `${address}:${port}` : "",
    arn: db.DBInstanceArn ?? "",
  };
}

export function observedDatabase(db: DBInstance, owner: Claim): ObservedNode {
  return {
    type: TYPE,
    ...claimed(owner),
    id: (db.DBInstanceIdentifier ?? "").toLowerCase(),
    attributes: observedAttributes(db),
    outputs: outputsOf(db),
    details: {
      arn: db.DBInstanceArn ?? "",
      status: db.DBInstanceStatus ?? "",
      pending: pendingAttributes(db.PendingModifiedValues),
    },
  };
}

/** The instance's ARN, which RDS's tag calls take, from what discovery recorded. */
export function arnOf(observed: ObservedNode | undefined): string {
  return maybeString(observed?.details?.arn) ?? "";
}

/** The changes already scheduled for the maintenance window, from what discovery recorded. */
export function pendingOf(observed: ObservedNode | undefined): Attrs {
  const pending = observed?.details?.pending;
  return isPlainObject(pending) ? pending : {};
}

/** `arn:aws:rds:region:account:db:identifier` names a database instance. */
const INSTANCE_ARN = /^arn:[^:]+:rds:[^:]*:[^:]*:db:(.+)$/;

/**
 * One paginated call for every instance of the region (tags come with it); ours by tag, the file's
 * others by identifier. A file without databases lists none unless the tagging API says one is
 * ours (`anyOurs`).
 */
export async function observeDatabases(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  if (nodes.length === 0 && !anyOurs(await taggedOfType(ctx, env, "rds", INSTANCE_ARN), env)) return [];
  const instances: DBInstance[] = [];
  for await (const page of paginateDescribeDBInstances({ client: ctx.rds }, {}))
    // An instance being deleted (an interrupted replacement) is already gone for planning.
    instances.push(...(page.DBInstances ?? []).filter((db) => db.DBInstanceStatus !== "deleting"));
  return claim(instances, {
    tagsOf: (db) => fromAwsTags(db.TagList),
    keyOf: (db) => db.DBInstanceIdentifier?.toLowerCase(),
    labelOf: (db) => `database ${(db.DBInstanceIdentifier ?? "").toLowerCase()}`,
    wanted: wantedBy(nodes, (n) => databaseSpec(n).identifier.toLowerCase()),
    env,
  }).map(({ item, claim: owner }) => observedDatabase(item, owner));
}

/** Restore sources named by identifier: one filtered describe, so the plan can say a source is missing. */
export async function lookupSources(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const sources = namedSources(nodes);
  if (sources.length === 0) return {};
  const found = await ctx.rds.send(
    new DescribeDBInstancesCommand({ Filters: [{ Name: "db-instance-id", Values: sources }] }),
  );
  const exists: { [id: string]: Value } = {};
  for (const db of found.DBInstances ?? [])
    if (db.DBInstanceIdentifier) exists[db.DBInstanceIdentifier.toLowerCase()] = db.DBInstanceStatus ?? "";
  return { [SOURCES]: exists };
}
