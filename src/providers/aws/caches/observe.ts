import {
  ListTagsForResourceCommand,
  paginateDescribeCacheClusters,
  paginateDescribeReplicationGroups,
} from "@aws-sdk/client-elasticache";
import type { CacheCluster, ReplicationGroup } from "@aws-sdk/client-elasticache";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import { fromAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { ownsAny } from "../common/ownsAny.js";
import type { AwsContext } from "../context.js";
import { MEMBER_PATHS } from "./desired.js";
import { DEFAULT_PORT, TYPE, cacheSpec } from "./schema.js";

/** The primary's cluster: it holds the settings ElastiCache reports per member, alike on every member. */
export function primaryMember(
  group: ReplicationGroup,
  clusters: Map<string, CacheCluster>,
): CacheCluster | undefined {
  const members = group.NodeGroups?.[0]?.NodeGroupMembers ?? [];
  const primary = members.find((m) => m.CurrentRole === "primary")?.CacheClusterId;
  const ids = [primary, ...(group.MemberClusters ?? [])];
  for (const id of ids) {
    const found = id === undefined ? undefined : clusters.get(id);
    if (found) return found;
  }
  return undefined;
}

/** Groups being removed are on their way out; the rest, sorted, since AWS treats them as a set. */
function securityGroupIds(cluster: CacheCluster): string[] {
  return (cluster.SecurityGroups ?? [])
    .flatMap((g) => (g.SecurityGroupId && g.Status !== "revoking" ? [g.SecurityGroupId] : []))
    .sort();
}

/**
 * The group as comparable attributes, AWS's defaults filled in: a group without a subnet group is
 * in `default`, absent flags are `false`. `member` undefined: the member settings are left out.
 */
export function observedAttributes(
  group: ReplicationGroup,
  member: CacheCluster | undefined,
  tags: TagMap,
): Attrs {
  const nodeGroup = group.NodeGroups?.[0];
  const nodes = nodeGroup?.NodeGroupMembers?.length ?? group.MemberClusters?.length ?? 1;
  const attrs: Attrs = {
    id: (group.ReplicationGroupId ?? "").toLowerCase(),
    engine: (group.Engine ?? member?.Engine ?? "redis").toLowerCase(),
    nodeType: (group.CacheNodeType ?? member?.CacheNodeType ?? "").toLowerCase(),
    replicas: Math.max(0, nodes - 1),
    port: nodeGroup?.PrimaryEndpoint?.Port ?? DEFAULT_PORT,
    atRestEncryption: group.AtRestEncryptionEnabled ?? false,
    transitEncryption: group.TransitEncryptionEnabled ?? false,
    snapshotRetentionDays: group.SnapshotRetentionLimit ?? 0,
    tags,
  };
  if (!member) return attrs;
  const fromMember: Attrs = {
    engineVersion: member.EngineVersion ?? "",
    parameterGroup: (member.CacheParameterGroup?.CacheParameterGroupName ?? "").toLowerCase(),
    subnetGroup: (member.CacheSubnetGroupName ?? "default").toLowerCase(),
    securityGroups: securityGroupIds(member),
  };
  for (const path of MEMBER_PATHS) attrs[path] = fromMember[path] ?? null;
  return attrs;
}

/** The primary endpoint, which `${caches.x.endpoint}` and `${caches.x.port}` interpolate. */
export function outputsOf(group: ReplicationGroup): { [key: string]: Value } {
  const primary = group.NodeGroups?.[0]?.PrimaryEndpoint;
  return {
    id: (group.ReplicationGroupId ?? "").toLowerCase(),
    endpoint: primary?.Address ?? "",
    port: primary?.Port ?? DEFAULT_PORT,
    arn: group.ARN ?? "",
  };
}

export function observedCache(
  group: ReplicationGroup,
  member: CacheCluster | undefined,
  tags: TagMap,
  owner: Claim,
): ObservedNode {
  return {
    type: TYPE,
    ...claimed(owner),
    id: (group.ReplicationGroupId ?? "").toLowerCase(),
    attributes: observedAttributes(group, member, tags),
    outputs: outputsOf(group),
    details: { arn: group.ARN ?? "", status: group.Status ?? "", membersRead: member !== undefined },
  };
}

export async function tagsOfGroup(ctx: AwsContext, arn: string): Promise<TagMap> {
  const found = await ctx.elasticache.send(new ListTagsForResourceCommand({ ResourceName: arn }));
  return fromAwsTags(found.TagList);
}

/** A live replication group with its tags and its primary member's settings. */
export type LiveCache = { group: ReplicationGroup; primary: CacheCluster | undefined; tags: TagMap };

/**
 * One paginated DescribeReplicationGroups and one DescribeCacheClusters (the member settings) for
 * the region. ElastiCache has no batched tag read, so each live group's tags are one call more:
 * ownership lives in tags, and a group of ours the file dropped must still be found to be deleted.
 */
export async function listCaches(ctx: AwsContext): Promise<LiveCache[]> {
  const groups: ReplicationGroup[] = [];
  for await (const page of paginateDescribeReplicationGroups({ client: ctx.elasticache }, {}))
    // A group being deleted (an interrupted replacement, a delete under way) is already gone for planning.
    groups.push(...(page.ReplicationGroups ?? []).filter((g) => g.Status !== "deleting"));
  if (groups.length === 0) return [];
  const clusters = new Map<string, CacheCluster>();
  for await (const page of paginateDescribeCacheClusters({ client: ctx.elasticache }, {}))
    for (const c of page.CacheClusters ?? []) if (c.CacheClusterId) clusters.set(c.CacheClusterId, c);
  return Promise.all(
    groups.map(async (group) => ({
      group,
      primary: primaryMember(group, clusters),
      tags: await tagsOfGroup(ctx, group.ARN ?? ""),
    })),
  );
}

/** `arn:aws:elasticache:region:account:replicationgroup:id` names a replication group. */
const GROUP_ARN = /^arn:[^:]+:elasticache:[^:]*:[^:]*:replicationgroup:(.+)$/;

/** A file without caches lists none unless the tagging API says one is ours (`ownsAny`). */
export async function observeCaches(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  if (nodes.length === 0 && !(await ownsAny(ctx, env, "elasticache", GROUP_ARN))) return [];
  return claim(await listCaches(ctx), {
    tagsOf: (t) => t.tags,
    keyOf: (t) => t.group.ReplicationGroupId?.toLowerCase(),
    labelOf: (t) => `cache ${(t.group.ReplicationGroupId ?? "").toLowerCase()}`,
    wanted: wantedBy(nodes, (n) => cacheSpec(n).id.toLowerCase()),
    env,
  }).map(({ item, claim: owner }) => observedCache(item.group, item.primary, item.tags, owner));
}
