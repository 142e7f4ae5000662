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
import { anyOurs, taggedOfType, tagsForClaims } from "../common/claimTags.js";
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

/** A live replication group with its primary member's settings, and its tags. */
export type LiveCache = { group: ReplicationGroup; primary: CacheCluster | undefined; tags: TagMap };
type ListedCache = Omit<LiveCache, "tags">;

/**
 * One paginated DescribeReplicationGroups and one DescribeCacheClusters (the member settings) for
 * the region, without tags: ElastiCache has no batched tag read, so each group's tags are a call
 * of their own, made only for the groups that need them.
 */
async function listGroups(ctx: AwsContext): Promise<ListedCache[]> {
  const groups: ReplicationGroup[] = [];
  for await (const page of paginateDescribeReplicationGroups({ client: ctx.elasticache }, {}))
    // A group being deleted (an interrupted replacement, a delete under way) is already gone for planning.
    groups.push(...(page.ReplicationGroups ?? []).filter((g) => g.Status !== "deleting"));
  if (groups.length === 0) return [];
  const clusters = new Map<string, CacheCluster>();
  for await (const page of paginateDescribeCacheClusters({ client: ctx.elasticache }, {}))
    for (const c of page.CacheClusters ?? []) if (c.CacheClusterId) clusters.set(c.CacheClusterId, c);
  return groups.map((group) => ({ group, primary: primaryMember(group, clusters) }));
}

async function groupTags(ctx: AwsContext, arns: string[]): Promise<Map<string, TagMap>> {
  return new Map(await Promise.all(arns.map(async (arn) => [arn, await tagsOfGroup(ctx, arn)] as const)));
}

/** Every live group of the region with its tags, for export, which shows them all. */
export async function listCaches(ctx: AwsContext): Promise<LiveCache[]> {
  const listed = await listGroups(ctx);
  const tags = await groupTags(
    ctx,
    listed.map(({ group }) => group.ARN ?? ""),
  );
  return listed.map((found) => ({ ...found, tags: tags.get(found.group.ARN ?? "") ?? {} }));
}

/** `arn:aws:elasticache:region:account:replicationgroup:id` names a replication group. */
const GROUP_ARN = /^arn:[^:]+:elasticache:[^:]*:[^:]*:replicationgroup:(.+)$/;

/**
 * The groups of the region alongside the shared tagging answer, which says which are ours and
 * with what tags: ElastiCache's own tags are read only where that answer is not enough
 * (`tagsForClaims`), so groups that are none of ours cost no call. A file without caches lists
 * none unless the tagging answer names one of ours.
 */
export async function observeCaches(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const tagging = taggedOfType(ctx, env, "elasticache", GROUP_ARN);
  if (nodes.length === 0 && !anyOurs(await tagging, env)) return [];
  const [listed, tagged] = await Promise.all([listGroups(ctx), tagging]);
  const idOf = (group: ReplicationGroup) => group.ReplicationGroupId?.toLowerCase();
  const wanted = wantedBy(nodes, (n) => cacheSpec(n).id.toLowerCase());
  const protectedNames = new Set(nodes.filter((n) => n.protect).map((n) => cacheSpec(n).id.toLowerCase()));
  const tagsByArn = await tagsForClaims(
    env,
    listed.map(({ group }) => ({ arn: group.ARN ?? "", name: idOf(group) })),
    { tagged, wanted, protectedNames, readTags: (arns) => groupTags(ctx, arns) },
  );
  const live = listed.flatMap((found) => {
    const tags = tagsByArn.get(found.group.ARN ?? "");
    return tags ? [{ ...found, tags }] : [];
  });
  return claim(live, {
    tagsOf: (t) => t.tags,
    keyOf: (t) => idOf(t.group),
    labelOf: (t) => `cache ${(t.group.ReplicationGroupId ?? "").toLowerCase()}`,
    wanted,
    env,
  }).map(({ item, claim: owner }) => observedCache(item.group, item.primary, item.tags, owner));
}
