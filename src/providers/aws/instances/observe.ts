import { DescribeImagesCommand, paginateDescribeImages } from "@aws-sdk/client-ec2";
import type { Instance } from "@aws-sdk/client-ec2";
import { groupOf } from "../../../engine/graph.js";
import type { EnvironmentInfo, Facts } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { claim, claimed } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import { TAG_ENVIRONMENT, fromAwsTags } from "../common/ownership.js";
import { stringList } from "../common/readers.js";
import type { AwsContext } from "../context.js";
import { imageFactKey, newestImage } from "./imageChoice.js";
import type { FoundImage } from "./imageChoice.js";
import { describeInstances } from "./lifecycle.js";
import { TAG_ADOPTED, TAG_SNAPSHOT } from "./markers.js";
import { memberAddress } from "./members.js";
import { TYPE, memberSpec, namePatternOf } from "./schema.js";
import type { InstanceSpec } from "./schema.js";

/** States in which an instance exists for us; terminated and shutting-down ones are gone. */
export const LIVE_STATES = ["pending", "running", "stopping", "stopped"];

export type ObserveExtras = {
  /** What the file says for this instance's group, when the group is still in the file. */
  snapshotBeforeChange?: boolean;
  /** The name of the AMI it runs, when a name pattern needs it. */
  imageName?: string;
};

/**
 * Ours by tag; an untagged instance is adopted when an entry's `adopt` lists its id, as the member
 * at that position (ids, unlike names, are the only key an instance has).
 */
export function claimInstances(
  instances: Instance[],
  adoptAs: Map<string, string>,
  env: EnvironmentInfo,
): { item: Instance; claim: Claim }[] {
  return claim(instances, {
    tagsOf: (i) => fromAwsTags(i.Tags),
    keyOf: (i) => i.InstanceId,
    labelOf: (i) => `instance ${i.InstanceId ?? ""}`,
    wanted: adoptAs,
    env,
  });
}

/** One EC2 instance → the normalised form `desiredInstance` produces. */
export function observedInstance(instance: Instance, owner: Claim, extras: ObserveExtras = {}): ObservedNode {
  const tags = fromAwsTags(instance.Tags);
  const volumes = (instance.BlockDeviceMappings ?? [])
    .map((m) => m.Ebs?.VolumeId)
    .filter((v): v is string => !!v)
    .sort();
  const attributes: { [key: string]: Value } = {
    type: instance.InstanceType ?? "",
    image: instance.ImageId ?? "",
    securityGroups: (instance.SecurityGroups ?? [])
      .map((g) => g.GroupId ?? "")
      .filter(Boolean)
      .sort(),
    subnet: instance.SubnetId ?? "",
    tags,
  };
  if (instance.KeyName) attributes.keyName = instance.KeyName;
  return {
    type: TYPE,
    ...claimed(owner),
    id: instance.InstanceId ?? "",
    attributes,
    outputs: outputsOf(instance),
    details: {
      state: instance.State?.Name ?? "",
      volumes,
      adopted: !owner.managed || tags[TAG_ADOPTED] === "true",
      // The file's current word wins; the tag speaks for an entry that is gone from the file.
      snapshotBeforeChange: extras.snapshotBeforeChange ?? tags[TAG_SNAPSHOT] === "true",
      ...(extras.imageName ? { imageName: extras.imageName } : {}),
    },
  };
}

/** The volumes `observedInstance` recorded, back from its details. */
export function volumesOf(observed: ObservedNode | undefined): string[] {
  return stringList(observed?.details?.volumes);
}

export function outputsOf(instance: Instance): { [key: string]: Value } {
  return { id: instance.InstanceId ?? "", privateIp: instance.PrivateIpAddress ?? "" };
}

/** This environment's instances with one filtered DescribeInstances, plus the ids `adopt` lists. */
export async function observeInstances(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const specs = new Map<string, InstanceSpec>();
  for (const node of nodes) specs.set(node.group, memberSpec(node));
  // Untagged instances listed in `adopt` fill the lowest member indexes.
  const adoptAs = new Map<string, string>();
  for (const [group, s] of specs)
    (s.adopt ?? []).forEach((id, i) => adoptAs.set(id, memberAddress(group, i)));

  const live = { Name: "instance-state-name", Values: LIVE_STATES };
  const [owned, listed] = await Promise.all([
    describeInstances(ctx, [{ Name: `tag:${TAG_ENVIRONMENT}`, Values: [env.environment] }, live]),
    // The `instance-id` filter, unlike InstanceIds, does not fail the whole call for one missing id.
    adoptAs.size > 0
      ? describeInstances(ctx, [{ Name: "instance-id", Values: [...adoptAs.keys()] }, live])
      : [],
  ]);
  const instances = new Map<string, Instance>();
  for (const instance of [...owned, ...listed])
    if (instance.InstanceId) instances.set(instance.InstanceId, instance);

  const imageNames = [...specs.values()].some((s) => namePatternOf(s.image))
    ? await namesOfImages(ctx, [...instances.values()])
    : new Map<string, string>();

  return claimInstances([...instances.values()], adoptAs, env).map(({ item, claim: owner }) => {
    const group = specs.get(groupOf(owner.address));
    const imageName = imageNames.get(item.ImageId ?? "");
    return observedInstance(item, owner, {
      ...(group ? { snapshotBeforeChange: group.snapshotBeforeChange === true } : {}),
      ...(imageName ? { imageName } : {}),
    });
  });
}

/** Names of the AMIs instances run, for name patterns: one DescribeImages filtered by image id. */
async function namesOfImages(ctx: AwsContext, instances: Instance[]): Promise<Map<string, string>> {
  const ids = [...new Set(instances.map((i) => i.ImageId).filter((id): id is string => !!id))];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  // A filter rather than ImageIds: a deregistered AMI must not fail the whole call.
  const found = await ctx.ec2.send(
    new DescribeImagesCommand({ Filters: [{ Name: "image-id", Values: ids }] }),
  );
  for (const image of found.Images ?? [])
    if (image.ImageId && image.Name) names.set(image.ImageId, image.Name);
  return names;
}

/** Name patterns resolve to their newest AMI with one filtered DescribeImages per pattern. */
export async function lookupImages(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const patterns = new Map<string, { name: string; owners: string[] }>();
  for (const node of nodes) {
    const pattern = namePatternOf(memberSpec(node).image);
    if (pattern) patterns.set(imageFactKey(pattern), pattern);
  }
  const facts: Facts = {};
  await Promise.all(
    [...patterns].map(async ([key, pattern]) => {
      const images: FoundImage[] = [];
      for await (const page of paginateDescribeImages(
        { client: ctx.ec2 },
        {
          Owners: pattern.owners,
          Filters: [
            { Name: "name", Values: [pattern.name] },
            { Name: "state", Values: ["available"] },
          ],
        },
      )) {
        for (const i of page.Images ?? []) {
          if (i.ImageId) images.push({ id: i.ImageId, name: i.Name ?? "", created: i.CreationDate ?? "" });
        }
      }
      facts[key] = newestImage(images) ?? null;
    }),
  );
  return facts;
}
