import {
  DecreaseReplicaCountCommand,
  DeleteReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  IncreaseReplicaCountCommand,
  ModifyReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import type { ModifyReplicationGroupMessage, ReplicationGroup } from "@aws-sdk/client-elasticache";
import { compareAttributes, sameValue } from "../../../engine/compare.js";
import type { Operation } from "../../../engine/types.js";
import type { Attrs } from "../../../model/index.js";
import { stringList } from "../common/readers.js";
import { waitFor } from "../common/waiting.js";
import type { Patience } from "../common/waiting.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import { observedAttributes } from "./observe.js";

// A new group or a node type change takes minutes, a large one longer: bounds, not estimates.
const POLL_MS = 15_000;
const UNTIL_AVAILABLE: Patience = { timeoutMs: 60 * 60_000, intervalMs: POLL_MS };
const UNTIL_GONE: Patience = { timeoutMs: 60 * 60_000, intervalMs: POLL_MS };

export const NOT_FOUND = "ReplicationGroupNotFound";
export const ALREADY_EXISTS = "ReplicationGroupAlreadyExists";

export async function describeOne(ctx: AwsContext, id: string): Promise<ReplicationGroup | undefined> {
  const found = await tolerate(
    () => ctx.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id })),
    NOT_FOUND,
  );
  return found?.ReplicationGroups?.[0];
}

/**
 * Waits for `available` and for the listed group-level attributes to read back as desired: right
 * after a modify, ElastiCache may still say `available` for a moment before `modifying`.
 */
export async function waitAvailable(
  ctx: AwsContext,
  id: string,
  op: Operation,
  desired: Attrs = {},
  paths: string[] = [],
): Promise<ReplicationGroup> {
  return waitFor(op, `cache ${id} to be available`, UNTIL_AVAILABLE, async () => {
    const group = await describeOne(ctx, id);
    if (!group || group.Status !== "available") return undefined;
    const attrs = observedAttributes(group, undefined, {});
    const readable = paths.filter((p) => p in attrs);
    return readable.every((p) => sameValue(desired[p], attrs[p])) ? group : undefined;
  });
}

/** What ModifyReplicationGroup changes; replicas have calls of their own, tags too, the rest replaces. */
const MODIFIABLE = ["nodeType", "engineVersion", "parameterGroup", "securityGroups", "snapshotRetentionDays"];

/** The ModifyReplicationGroup fields and the replica count for what differs. */
export function modification(
  desired: Attrs,
  current: Attrs,
): {
  message: Omit<ModifyReplicationGroupMessage, "ReplicationGroupId">;
  paths: string[];
  replicas?: number;
} {
  const changed = compareAttributes(desired, current, { replaceOn: [] }).map((c) => c.path);
  const paths = changed.filter((p) => MODIFIABLE.includes(p));
  const message: Omit<ModifyReplicationGroupMessage, "ReplicationGroupId"> = { ApplyImmediately: true };
  for (const path of paths) {
    const value = desired[path];
    if (path === "nodeType") message.CacheNodeType = String(value);
    if (path === "engineVersion") message.EngineVersion = String(value);
    if (path === "parameterGroup") message.CacheParameterGroupName = String(value);
    if (path === "securityGroups") message.SecurityGroupIds = stringList(value);
    if (path === "snapshotRetentionDays") message.SnapshotRetentionLimit = Number(value);
  }
  const replicas = changed.includes("replicas") ? Number(desired.replicas) : undefined;
  return { message, paths, ...(replicas !== undefined ? { replicas } : {}) };
}

/** Brings a group's settings to `desired`: one ModifyReplicationGroup, then the replica count. */
export async function converge(
  ctx: AwsContext,
  group: ReplicationGroup,
  desired: Attrs,
  current: Attrs,
  op: Operation,
): Promise<ReplicationGroup> {
  const id = group.ReplicationGroupId ?? "";
  const change = modification(desired, current);
  if (change.paths.length === 0 && change.replicas === undefined) return group;
  if (change.paths.length > 0) {
    op.progress(`modifying ${id} (${change.paths.join(", ")})`);
    await ctx.elasticache.send(
      new ModifyReplicationGroupCommand({ ReplicationGroupId: id, ...change.message }),
    );
    if (change.replicas !== undefined) await waitAvailable(ctx, id, op);
  }
  if (change.replicas !== undefined) {
    const have = Number(current.replicas ?? 0);
    const counted = { ReplicationGroupId: id, NewReplicaCount: change.replicas, ApplyImmediately: true };
    op.progress(
      `${change.replicas > have ? "adding" : "removing"} replicas of ${id} (${have} → ${change.replicas})`,
    );
    await ctx.elasticache.send(
      change.replicas > have
        ? new IncreaseReplicaCountCommand(counted)
        : new DecreaseReplicaCountCommand(counted),
    );
  }
  if (op.noWait) return group;
  const paths = [...change.paths, ...(change.replicas !== undefined ? ["replicas"] : [])];
  return waitAvailable(ctx, id, op, desired, paths);
}

/**
 * Deletes a group without a final snapshot (the plan warned of the data loss). ElastiCache frees
 * the id only once the group is gone, which a replacement under the same id waits for; a plain
 * delete returns once the group is `deleting`: it serves nobody from then on, and discovery
 * already counts it gone.
 */
export async function deleteGroup(
  ctx: AwsContext,
  id: string,
  op: Operation,
  options: { untilGone: boolean },
): Promise<void> {
  const group = await describeOne(ctx, id);
  if (!group) return;
  if (group.Status !== "deleting") {
    op.progress(`deleting ${id}`);
    await tolerate(
      () => ctx.elasticache.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: id })),
      NOT_FOUND,
    );
  }
  if (!options.untilGone || op.noWait) return;
  await waitFor(op, `cache ${id} to be deleted`, UNTIL_GONE, async () =>
    (await describeOne(ctx, id)) ? undefined : true,
  );
}
