import {
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  paginateDescribeImages,
} from "@aws-sdk/client-ec2";
import type { Image } from "@aws-sdk/client-ec2";
import type { EnvironmentInfo, ResourceType } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import type { ObservedNode } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { adoptionTags, fromAwsTags, ownership, ownershipTags, TAG_ENVIRONMENT, toAwsTags } from "../tags.js";
import { IMAGE_TYPE, membersOf } from "./spec.js";

/** The instance an AMI was made of: what the plan compares, and what finds it again on re-plan. */
const TAG_SOURCE = "parity:source-instance";
const MINUTE = 60_000;

type ImageNodeSpec = { fromInstance: string; noReboot: boolean };

function imageSpec(value: { [key: string]: unknown }): ImageNodeSpec {
  return value as unknown as ImageNodeSpec;
}

/** AMI names are unique per account and region, allow only some characters, and are 3–128 long. */
export function amiName(env: EnvironmentInfo, members: string, source: string): string {
  return `${env.environment}-${members}-from-${source}`
    .replace(/[^A-Za-z0-9()[\]./\-'@_ ]/g, "-")
    .slice(0, 128);
}

function snapshotsOf(image: Image): string[] {
  return (image.BlockDeviceMappings ?? [])
    .map((m) => m.Ebs?.SnapshotId)
    .filter((s): s is string => !!s)
    .sort();
}

function observeImage(image: Image, env: EnvironmentInfo): ObservedNode {
  const tags = fromAwsTags(image.Tags);
  const owner = ownership(tags, env);
  return {
    type: IMAGE_TYPE,
    ...(owner.address ? { address: owner.address } : {}),
    id: image.ImageId ?? "",
    managed: owner.managed,
    protect: owner.protect,
    attributes: { sourceInstance: tags[TAG_SOURCE] ?? "", tags },
    outputs: { id: image.ImageId ?? "" },
    details: { snapshots: snapshotsOf(image), state: image.State ?? "" },
  };
}

/**
 * The AMI behind `image: { fromInstance: i-… }`, as its own node (`instances.web.image`). It is
 * tagged like any resource parity owns, so a re-plan finds it and members launch from it instead
 * of imaging the instance again.
 */
export const instanceImageType: ResourceType<AwsContext> = {
  type: IMAGE_TYPE,
  replaceOn: ["sourceInstance"],
  expectedSeconds: { create: 300, replace: 300, delete: 10 },

  risks(change) {
    // Imaging reboots the source instance unless noReboot is set (desired() says so in a note).
    const reboots = change.notes.some((n) => n.startsWith("reboots "));
    return (change.action === "create" || change.action === "replace") && reboots ? ["downtime"] : [];
  },

  desired(node, resolver, observed) {
    const s = imageSpec(node.spec);
    // Imaging happens only on create or replace, i.e. when no AMI of this source exists yet.
    const imaging = !observed || observed.attributes.sourceInstance !== s.fromInstance;
    const note = s.noReboot
      ? `images ${s.fromInstance} without rebooting it (file systems are not guaranteed consistent)`
      : `reboots ${s.fromInstance} so the image is consistent (set image.noReboot to avoid)`;
    return {
      attributes: { sourceInstance: s.fromInstance, tags: { ...resolver.env.tags } },
      ...(imaging ? { notes: [note] } : {}),
    };
  },

  async observe(ctx, _nodes, env) {
    // One filtered listing of our own AMIs; never an unfiltered DescribeImages (thousands of public ones).
    const found: ObservedNode[] = [];
    for await (const page of paginateDescribeImages(
      { client: ctx.ec2 },
      {
        Owners: ["self"],
        Filters: [
          { Name: `tag:${TAG_ENVIRONMENT}`, Values: [env.environment] },
          { Name: "state", Values: ["pending", "available"] },
        ],
      },
    )) {
      for (const image of page.Images ?? []) {
        const observed = observeImage(image, env);
        if (observed.managed) found.push(observed);
      }
    }
    return found;
  },

  async create(ctx, op) {
    const node = op.node!;
    const s = imageSpec(node.spec);
    const source = String(op.desired?.sourceInstance ?? s.fromInstance);
    const name = amiName(op.env, membersOf(node.address), source);
    const tags = {
      ...(op.desired?.tags as Record<string, string>),
      ...ownershipTags(op.env, node.address, node.protect),
      [TAG_SOURCE]: source,
    };
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
    const image = await waitUntil(
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
  },

  async update(ctx, op) {
    const observed = op.observed!;
    const have = (observed.attributes.tags ?? {}) as Record<string, string>;
    const changed = Object.entries((op.desired?.tags ?? {}) as Record<string, string>).filter(
      ([k, v]) => have[k] !== v,
    );
    if (changed.length > 0) {
      await ctx.ec2.send(
        new CreateTagsCommand({ Resources: [observed.id], Tags: toAwsTags(Object.fromEntries(changed)) }),
      );
    }
    return observed.outputs;
  },

  async adopt(ctx, op) {
    // observe() only returns our own AMIs, so nothing is ever planned for adoption; kept for the contract.
    await ctx.ec2.send(
      new CreateTagsCommand({
        Resources: [op.observed!.id],
        Tags: adoptionTags(op),
      }),
    );
    return instanceImageType.update(ctx, op);
  },

  async delete(ctx, op) {
    const id = op.observed?.id ?? op.change.id ?? "";
    await tolerate(
      () => ctx.ec2.send(new DeregisterImageCommand({ ImageId: id })),
      "InvalidAMIID.NotFound",
      "InvalidAMIID.Unavailable",
    );
    // The AMI's snapshots are ours too; a snapshot is "in use" for a moment after deregistration.
    for (const snapshot of (op.observed?.details?.snapshots ?? []) as string[]) {
      await waitUntil(
        async () => {
          try {
            await tolerate(
              () => ctx.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot })),
              "InvalidSnapshot.NotFound",
            );
            return true;
          } catch (error) {
            if (isAwsError(error, "InvalidSnapshot.InUse")) return undefined;
            throw error;
          }
        },
        {
          what: `snapshot ${snapshot} to be released`,
          timeoutMs: 5 * MINUTE,
          intervalMs: 5000,
          signal: op.signal,
          progress: op.progress,
        },
      );
    }
  },
};

async function findOwnImage(
  ctx: AwsContext,
  name: string,
  env: EnvironmentInfo,
  address: string,
): Promise<string> {
  const found = await ctx.ec2.send(
    new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: [name] }] }),
  );
  const image = found.Images?.find((i) => ownership(fromAwsTags(i.Tags), env).address === address);
  if (!image?.ImageId) {
    throw new Error(
      `an AMI named ${name} already exists and is not managed by this environment (deregister or rename it)`,
    );
  }
  return image.ImageId;
}
