import { DescribeInstancesCommand, paginateDescribeImages } from "@aws-sdk/client-ec2";
import type { Image } from "@aws-sdk/client-ec2";
import type { EnvironmentInfo, Facts } from "../../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../../model/index.js";
import { claim, claimed, wantedBy } from "../../common/adoption.js";
import type { Claim } from "../../common/adoption.js";
import { TAG_ENVIRONMENT, fromAwsTags } from "../../common/ownership.js";
import { anyOurs, taggedOfType } from "../../common/claimTags.js";
import type { AwsContext } from "../../context.js";
import { SOURCE_FACTS } from "./facts.js";
import { IMAGE_TYPE, imageSpec } from "./schema.js";

/** The instance an AMI was made of: what the plan compares, and what finds it again on re-plan. */
export const TAG_SOURCE = "parity:source-instance";

export function snapshotsOf(image: Image): string[] {
  return (image.BlockDeviceMappings ?? [])
    .map((m) => m.Ebs?.SnapshotId)
    .filter((s): s is string => !!s)
    .sort();
}

/**
 * A live AMI in the shape `desiredInstanceImage` produces; its snapshots are kept for deleting them.
 * A hand-made AMI has no source tag: the instance AWS says it was made of, or else the one the
 * file says it was (an AMI made outside CreateImage records none).
 */
export function observedImage(image: Image, owner: Claim, claimedSource?: string): ObservedNode {
  const tags = fromAwsTags(image.Tags);
  const source = tags[TAG_SOURCE] ?? image.SourceInstanceId ?? claimedSource ?? "";
  return {
    type: IMAGE_TYPE,
    ...claimed(owner),
    id: image.ImageId ?? "",
    attributes: { fromInstance: source, tags },
    outputs: { id: image.ImageId ?? "" },
    details: { snapshots: snapshotsOf(image), state: image.State ?? "" },
  };
}

async function describeImages(ctx: AwsContext, filters: { Name: string; Values: string[] }[]) {
  const images: Image[] = [];
  for await (const page of paginateDescribeImages(
    { client: ctx.ec2 },
    { Owners: ["self"], Filters: filters },
  ))
    images.push(...(page.Images ?? []));
  return images;
}

/** The AMIs the tagging API lists: `arn:aws:ec2:region:account:image/ami-…`. */
const IMAGE_ARN = /:image\/(ami-[0-9a-f]+)$/;

/**
 * One filtered listing of our own AMIs; never an unfiltered DescribeImages (thousands of public
 * ones), and none at all when the file has no AMI and the tagging API lists none of ours (the
 * index can lag: see `anyOurs`). An AMI is adopted only when the file names it:
 * `image: { fromInstance, adoptImage }`, the AMI of the source already made by hand (a second
 * listing, by those names, only then).
 */
export async function observeImages(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  if (nodes.length === 0 && !anyOurs(await taggedOfType(ctx, env, "ec2", IMAGE_ARN), env)) return [];
  const names = nodes.map((n) => imageSpec(n).adoptImage).filter((n): n is string => n !== undefined);
  const state = { Name: "state", Values: ["pending", "available"] };
  const [own, named] = await Promise.all([
    describeImages(ctx, [{ Name: `tag:${TAG_ENVIRONMENT}`, Values: [env.environment] }, state]),
    names.length > 0 ? describeImages(ctx, [{ Name: "name", Values: names }, state]) : [],
  ]);
  const seen = new Set(own.map((i) => i.ImageId));
  const sourceOf = new Map(nodes.map((n) => [n.address, imageSpec(n).fromInstance]));
  return claim([...own, ...named.filter((i) => !seen.has(i.ImageId))], {
    tagsOf: (i) => fromAwsTags(i.Tags),
    keyOf: (i) => i.Name,
    labelOf: (i) => `AMI ${i.ImageId ?? ""}`,
    wanted: wantedBy(nodes, (n) => imageSpec(n).adoptImage),
    env,
    // A legacy AMI is the file's when the entry at its address still images the same instance.
    legacyIdentity: (i, address) => sourceOf.get(address) === fromAwsTags(i.Tags)[TAG_SOURCE],
  }).map(({ item, claim: owner }) => observedImage(item, owner, sourceOf.get(owner.address)));
}

/**
 * Whether each `fromInstance` exists, so a typo is a plan error at its line rather than a
 * failed CreateImage half-way through an apply. One DescribeInstances, filtered (an id that
 * does not exist is no error then, just absent).
 */
export async function lookupSources(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const ids = [...new Set(nodes.map((n) => imageSpec(n).fromInstance))];
  if (ids.length === 0) return {};
  const answer = await ctx.ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: "instance-id", Values: ids },
        { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
      ],
    }),
  );
  const found = new Set(
    (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? ""),
  );
  return { [SOURCE_FACTS]: Object.fromEntries(ids.map((id) => [id, found.has(id)])) };
}
