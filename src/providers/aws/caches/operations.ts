import { AddTagsToResourceCommand, CreateReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import type { Operation, Outputs } from "../../../engine/types.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import type { Tagger } from "../common/adoption.js";
import { creationTags, toAwsTags } from "../common/ownership.js";
import { resumeOwn } from "../common/rerun.js";
import type { AwsContext } from "../context.js";
import { isAwsError } from "../errors.js";
import { cacheAttributes } from "./desired.js";
import { ALREADY_EXISTS, converge, deleteGroup, describeOne, waitAvailable } from "./lifecycle.js";
import { outputsOf, tagsOfGroup } from "./observe.js";
import { maybeString } from "../common/readers.js";

/** ElastiCache writes tags by ARN, which discovery keeps in the node's details. */
function cacheTagger(arn: string): Tagger {
  return async (ctx, _id, tags) => {
    await ctx.elasticache.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: toAwsTags(tags) }));
  };
}

function arnOf(op: Operation): string {
  return maybeString(op.observed?.details?.arn) ?? "";
}

export async function createCache(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const wanted = cacheAttributes(op.desired ?? {});
  const node = op.node!;
  const id = wanted.id;
  try {
    op.progress(`creating ${id}`);
    const made = await ctx.elasticache.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: id,
        ReplicationGroupDescription: `${node.address} of ${op.env.environment}`,
        Engine: wanted.engine,
        EngineVersion: wanted.engineVersion,
        CacheNodeType: wanted.nodeType,
        ReplicasPerNodeGroup: wanted.replicas,
        // Failover needs a replica to fail over to.
        AutomaticFailoverEnabled: wanted.replicas > 0,
        Port: wanted.port,
        CacheParameterGroupName: wanted.parameterGroup,
        // `default` is what ElastiCache picks without one; naming it fails where none was made yet.
        CacheSubnetGroupName: wanted.subnetGroup === "default" ? undefined : wanted.subnetGroup,
        SecurityGroupIds: wanted.securityGroups,
        AtRestEncryptionEnabled: wanted.atRestEncryption,
        TransitEncryptionEnabled: wanted.transitEncryption,
        SnapshotRetentionLimit: wanted.snapshotRetentionDays,
        Tags: toAwsTags(creationTags(op.env, node, wanted.tags)),
      }),
    );
    if (op.noWait && made.ReplicationGroup) return outputsOf(made.ReplicationGroup);
  } catch (error) {
    if (!isAwsError(error, ALREADY_EXISTS)) throw error;
    // A re-run after an interrupted apply: carry on only over the group that run made.
    const found = await describeOne(ctx, id);
    const tags = found ? await tagsOfGroup(ctx, found.ARN ?? "") : {};
    resumeOwn(found, () => tags, op, { what: `a cache named ${id}` });
    if (op.noWait && found) return outputsOf(found);
  }
  return outputsOf(await waitAvailable(ctx, id, op));
}

export async function updateCache(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const id = op.observed?.id ?? op.change.id ?? "";
  const group = await describeOne(ctx, id);
  if (!group) throw new Error(`cache ${id} no longer exists`);
  await syncTags(ctx, cacheTagger(group.ARN ?? arnOf(op)), op);
  const done = await converge(ctx, group, op.desired ?? {}, op.observed?.attributes ?? {}, op);
  return outputsOf(done);
}

export async function adoptCache(ctx: AwsContext, op: Operation): Promise<Outputs> {
  return claimThenUpdate(cacheTagger(arnOf(op)), updateCache)(ctx, op);
}

export async function replaceCache(ctx: AwsContext, op: Operation): Promise<Outputs> {
  // The new group takes the same id, which ElastiCache frees only once the old one is gone.
  if (op.observed) await deleteGroup(ctx, op.observed.id, { ...op, noWait: false }, { untilGone: true });
  return createCache(ctx, op);
}

export async function deleteCache(ctx: AwsContext, op: Operation): Promise<void> {
  await deleteGroup(ctx, op.observed?.id ?? op.change.id ?? "", op, { untilGone: false });
}
