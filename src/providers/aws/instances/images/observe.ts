import { paginateDescribeImages } from "@aws-sdk/client-ec2";
import type { Image } from "@aws-sdk/client-ec2";
import type { EnvironmentInfo } from "../../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../../model/index.js";
import { claim, claimed } from "../../common/adoption.js";
import type { Claim } from "../../common/adoption.js";
import { TAG_ENVIRONMENT, fromAwsTags } from "../../common/ownership.js";
import type { AwsContext } from "../../context.js";
import { IMAGE_TYPE, imageSpec } from "./schema.js";

/** The instance an AMI was made of: what the plan compares, and what finds it again on re-plan. */
export const TAG_SOURCE = "parity:source-instance";

export function snapshotsOf(image: Image): string[] {
  return (image.BlockDeviceMappings ?? [])
    .map((m) => m.Ebs?.SnapshotId)
    .filter((s): s is string => !!s)
    .sort();
}

/** A live AMI in the shape `desiredInstanceImage` produces; its snapshots are kept for deleting them. */
export function observedImage(image: Image, owner: Claim): ObservedNode {
  const tags = fromAwsTags(image.Tags);
  return {
    type: IMAGE_TYPE,
    ...claimed(owner),
    id: image.ImageId ?? "",
    attributes: { fromInstance: tags[TAG_SOURCE] ?? "", tags },
    outputs: { id: image.ImageId ?? "" },
    details: { snapshots: snapshotsOf(image), state: image.State ?? "" },
  };
}

/**
 * One filtered listing of our own AMIs; never an unfiltered DescribeImages (thousands of public
 * ones). An AMI is never adopted: the file names an instance to image, not an AMI.
 */
export async function observeImages(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const images: Image[] = [];
  for await (const page of paginateDescribeImages(
    { client: ctx.ec2 },
    {
      Owners: ["self"],
      Filters: [
        { Name: `tag:${TAG_ENVIRONMENT}`, Values: [env.environment] },
        { Name: "state", Values: ["pending", "available"] },
      ],
    },
  ))
    images.push(...(page.Images ?? []));
  return claim(images, {
    tagsOf: (i) => fromAwsTags(i.Tags),
    keyOf: () => undefined,
    labelOf: (i) => `AMI ${i.ImageId ?? ""}`,
    wanted: new Map(),
    env,
    // A legacy AMI is the file's when the entry at its address still images the same instance.
    legacyIdentity: (i, address) =>
      nodes.some(
        (n) => n.address === address && imageSpec(n).fromInstance === fromAwsTags(i.Tags)[TAG_SOURCE],
      ),
  }).map(({ item, claim: owner }) => observedImage(item, owner));
}
