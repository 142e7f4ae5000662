import type { ObservedNode } from "../../../model/index.js";
import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import type { RunInstancesCommandInput } from "@aws-sdk/client-ec2";
import { sameValue } from "../../../engine/compare.js";
import type { Operation, Outputs } from "../../../engine/types.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import type { Tagger } from "../common/adoption.js";
import { ec2Tagger } from "../common/ec2.js";
import { creationTags, toAwsTags } from "../common/ownership.js";
import { tagMap } from "../common/readers.js";
import type { AwsContext } from "../context.js";
import { environmentSubnets, launchSubnet } from "./desired.js";
import { launchImage } from "./imageChoice.js";
import { changeType, modifyGroups, runInstance, terminate, waitForState } from "./lifecycle.js";
import { TAG_ADOPTED } from "./markers.js";
import { outputsOf, volumesOf } from "./observe.js";
import { memberSpec } from "./schema.js";
import { snapshotFirst } from "./snapshots.js";

export async function createInstance(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const node = op.node!;
  const s = memberSpec(node);
  const desired = op.desired ?? {};
  const image = launchImage(s, node.group, op.resolver);
  if (typeof image.value !== "string")
    throw new Error(image.error?.message ?? "the AMI to launch from is not known");
  const subnet =
    typeof desired.subnet === "string"
      ? desired.subnet
      : launchSubnet(s.subnets, environmentSubnets(op.facts), s.index);
  const tags = toAwsTags(creationTags(op.env, node, tagMap(desired.tags)));
  const request: RunInstancesCommandInput = {
    ImageId: image.value,
    // The SDK lists the instance types it knew when it was built; AWS accepts newer ones.
    InstanceType: String(desired.type) as RunInstancesCommandInput["InstanceType"],
    MinCount: 1,
    MaxCount: 1,
    SubnetId: subnet,
    ...(typeof desired.keyName === "string" ? { KeyName: desired.keyName } : {}),
    ...(Array.isArray(desired.securityGroups)
      ? { SecurityGroupIds: desired.securityGroups.map(String) }
      : {}),
    // Ownership from the first call: an interrupted apply never leaves an untagged instance or volume.
    TagSpecifications: [
      { ResourceType: "instance", Tags: tags },
      { ResourceType: "volume", Tags: tags },
    ],
  };
  const replacing = op.change.action === "replace" ? op.observed?.id : undefined;
  const id = await runInstance(ctx, request, node.address, replacing);
  op.progress(`launched ${id}, waiting for it to run`);
  return outputsOf(await waitForState(ctx, id, ["running"], op));
}

/** Groups and type change in place (the type by stopping and starting); tags converge. */
export async function updateInstance(ctx: AwsContext, op: Operation): Promise<Outputs> {
  await snapshotFirst(ctx, op);
  return convergeInstance(ctx, op);
}

async function convergeInstance(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const desired = op.desired ?? {};
  const have = observed.attributes;
  if (Array.isArray(desired.securityGroups) && !sameValue(desired.securityGroups, have.securityGroups)) {
    await modifyGroups(ctx, observed.id, desired.securityGroups.map(String));
  }
  if (!sameValue(desired.type, have.type)) await changeType(ctx, observed.id, String(desired.type), op);
  await syncTags(ctx, ec2Tagger, op);
  return observed.outputs;
}

/** Tags a member and its volumes in one call, as its launch does: a re-tag (moved, protected) keeps them together. */
export function memberTagger(observed: ObservedNode | undefined): Tagger {
  return async (ctx, id, tags) => {
    await ctx.ec2.send(
      new CreateTagsCommand({ Resources: [id, ...volumesOf(observed)], Tags: toAwsTags(tags) }),
    );
  };
}

/**
 * AWS tags an instance's volumes apart from it, so adoption claims them together, in one call, as
 * a launch does with its TagSpecifications; and it marks the instance adopted, so it keeps
 * satisfying `image: { fromInstance }` after its id leaves `adopt` (imageChoice.ts).
 */
export async function adoptInstance(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const withVolumes: Tagger = async (ctx, id, ownership) => {
    const tags = { ...op.env.tags, ...ownership, [TAG_ADOPTED]: "true" };
    await ctx.ec2.send(
      new CreateTagsCommand({ Resources: [id, ...volumesOf(op.observed)], Tags: toAwsTags(tags) }),
    );
  };
  await snapshotFirst(ctx, op);
  return claimThenUpdate(withVolumes, convergeInstance)(ctx, op);
}

export async function deleteInstance(ctx: AwsContext, op: Operation): Promise<void> {
  const observed = op.observed;
  const id = observed?.id ?? op.change.id ?? "";
  await snapshotFirst(ctx, op);
  await terminate(ctx, id, op);
}
