import {
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
} from "@aws-sdk/client-ec2";
import type { Image } from "@aws-sdk/client-ec2";
import type { EnvironmentInfo, Operation, Outputs } from "../../../../engine/types.js";
import { waitUntil } from "../../../../engine/wait.js";
import { claimThenUpdate, syncTags } from "../../common/adoption.js";
import { ec2Tagger } from "../../common/ec2.js";
import {
  TAG_ENVIRONMENT,
  creationTags,
  fromAwsTags,
  ownershipOf,
  toAwsTags,
} from "../../common/ownership.js";
import { stringList, tagMap } from "../../common/readers.js";
import { deleteWhenReleased } from "../../common/waiting.js";
import type { AwsContext } from "../../context.js";
import { isAwsError, tolerate } from "../../errors.js";
import { membersOf } from "../members.js";
import { amiName } from "./desired.js";
import { TAG_SOURCE, snapshotsOf } from "./observe.js";
import { imageSpec } from "./schema.js";

const MINUTE = 60_000;

export async function createImage(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const node = op.node!;
  const s = imageSpec(node);
  const source = s.fromInstance;
  const name = amiName(op.env, membersOf(node.address), source);
  const tags = { ...creationTags(op.env, node, tagMap(op.desired?.tags)), [TAG_SOURCE]: source };
  let imageId: string;
  try {
    op.progress(`creating an AMI of ${source}`);
    // No `snapshot` TagSpecification: the snapshots are tagged once the AMI is available.
    const made = await ctx.ec2.send(
      new CreateImageCommand({
        InstanceId: source,
        Name: name,
        Description: `${node.address}: image of ${source} (managed by parity)`,
        NoReboot: s.noReboot,
        TagSpecifications: [{ ResourceType: "image", Tags: toAwsTags(tags) }],
      }),
    );
    imageId = made.ImageId ?? "";
  } catch (error) {
    // CreateImage has no idempotency token; a re-run after an interruption finds its AMI by name.
    if (!isAwsError(error, "InvalidAMIName.Duplicate")) throw error;
    imageId = await findOwnImage(ctx, name, op.env, node.address);
  }
  const image = await waitAvailable(ctx, imageId, source, op);
  const snapshots = snapshotsOf(image);
  if (snapshots.length > 0) {
    await ctx.ec2.send(
      new CreateTagsCommand({
        Resources: snapshots,
        Tags: toAwsTags({
          ...op.env.tags,
          [TAG_ENVIRONMENT]: op.env.environment,
          [TAG_SOURCE]: source,
          "parity:image": imageId,
        }),
      }),
    );
  }
  return { id: imageId };
}

/** Only tags can change in place: another source is another AMI (a replacement). */
export async function updateImage(ctx: AwsContext, op: Operation): Promise<Outputs> {
  await syncTags(ctx, ec2Tagger, op);
  return op.observed!.outputs;
}

export async function deleteImage(ctx: AwsContext, op: Operation): Promise<void> {
  const id = op.observed?.id ?? op.change.id ?? "";
  await tolerate(
    () => ctx.ec2.send(new DeregisterImageCommand({ ImageId: id })),
    "InvalidAMIID.NotFound",
    "InvalidAMIID.Unavailable",
  );
  // The AMI's snapshots are ours too; a snapshot is "in use" for a moment after deregistration.
  for (const snapshot of stringList(op.observed?.details?.snapshots)) {
    await deleteWhenReleased(
      op,
      {
        what: `snapshot ${snapshot} to be released`,
        notFound: "InvalidSnapshot.NotFound",
        inUse: ["InvalidSnapshot.InUse"],
        timeoutMs: 5 * MINUTE,
        intervalMs: 5000,
      },
      () => ctx.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot })),
    );
  }
}

async function waitAvailable(
  ctx: AwsContext,
  imageId: string,
  source: string,
  op: Operation,
): Promise<Image> {
  return waitUntil(
    async () => {
      const found = await tolerate(
        () => ctx.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })),
        "InvalidAMIID.NotFound",
      );
      const current = found?.Images?.[0];
      if (current?.State === "failed" || current?.State === "error") {
        throw new Error(
          `AMI ${imageId} of ${source} failed: ${current.StateReason?.Message ?? current.State}`,
        );
      }
      return current?.State === "available" ? current : undefined;
    },
    {
      what: `AMI ${imageId} to be available`,
      timeoutMs: 60 * MINUTE,
      intervalMs: 10_000,
      signal: op.signal,
      progress: op.progress,
    },
  );
}

async function findOwnImage(
  ctx: AwsContext,
  name: string,
  env: EnvironmentInfo,
  address: string,
): Promise<string> {
  const found = await ctx.ec2.send(
    new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: [name] }] }),
  );
  const image = found.Images?.find((i) => {
    const owner = ownershipOf(fromAwsTags(i.Tags), env);
    return owner.status === "ours" && owner.address === address;
  });
  if (!image?.ImageId) {
    throw new Error(
      `an AMI named ${name} already exists and is not managed by this environment (deregister or rename it)`,
    );
  }
  return image.ImageId;
}

/**
 * An AMI of the source made by hand (`adoptImage`): tagged ours and with its source, so a
 * re-plan finds it by tags like one parity made, then converged like any update.
 */
export async function adoptImage(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const source = String(op.desired?.fromInstance ?? "");
  const observed = op.observed;
  if (!observed) throw new Error("adopting an AMI needs its live state");
  await ec2Tagger(ctx, observed.id, { [TAG_SOURCE]: source }, tagMap(observed.attributes.tags));
  return claimThenUpdate(ec2Tagger, updateImage)(ctx, op);
}
