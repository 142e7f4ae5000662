import { CreateTagsCommand, DescribeImagesCommand, paginateDescribeImages } from "@aws-sdk/client-ec2";
import type { Instance, RunInstancesCommandInput } from "@aws-sdk/client-ec2";
import { sameValue } from "../../../engine/compare.js";
import { groupOf } from "../../../engine/graph.js";
import type { Facts, Kind, ResourceType } from "../../../engine/types.js";
import type { Attrs, ObservedNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { networkFacts } from "../network.js";
import {
  fromAwsTags,
  ownedElsewhere,
  ownership,
  ownershipTags,
  TAG_ENVIRONMENT,
  toAwsTags,
} from "../tags.js";
import { desiredImage, launchImage } from "./image.js";
import { instanceImageType } from "./images.js";
import {
  changeType,
  describeInstances,
  modifyGroups,
  runInstance,
  snapshotVolumes,
  terminate,
  waitForState,
} from "./lifecycle.js";
import { LIVE_STATES, observeInstance, outputsOf, TAG_ADOPTED, TAG_SNAPSHOT } from "./observed.js";
import { instanceSchema } from "./schema.js";
import type { FoundImage, InstanceSpec } from "./spec.js";
import {
  checkInstances,
  desiredSubnet,
  expandInstances,
  imageFactKey,
  launchSubnet,
  memberAddress,
  memberSpec,
  namePatternOf,
  newestImage,
  sortGroupIds,
  TYPE,
} from "./spec.js";

function environmentSubnets(facts: Facts): string[] {
  return networkFacts(facts).subnets.map((s) => s.id);
}

function desiredTags(
  s: InstanceSpec,
  envTags: Record<string, string>,
  observed: ObservedNode | undefined,
): Record<string, string> {
  const tags = { ...envTags, ...(s.tags ?? {}) };
  const recorded = ((observed?.attributes.tags ?? {}) as Record<string, string>)[TAG_SNAPSHOT];
  if (s.snapshotBeforeChange === true) tags[TAG_SNAPSHOT] = "true";
  else if (recorded !== undefined) tags[TAG_SNAPSHOT] = "false";
  return tags;
}

function volumesOf(observed: ObservedNode | undefined): string[] {
  return ((observed?.details?.volumes ?? []) as string[]).filter((v) => typeof v === "string");
}

export const instanceType: ResourceType<AwsContext> = {
  type: TYPE,
  // The instance type and security groups change in place; these can only change by relaunching.
  replaceOn: ["image", "keyName", "subnet"],
  expectedSeconds: { create: 60, update: 90, replace: 120, delete: 60 },

  risks(change) {
    if (change.action === "replace" || change.action === "delete") return ["downtime"];
    // Changing the type stops and starts the instance.
    if (change.attributes.some((a) => a.path === "type")) return ["downtime"];
    return [];
  },

  notes(change, observed) {
    const notes: string[] = [];
    const id = observed?.id ?? change.id ?? "";
    if (change.action === "adopt") notes.push(`tag ${id} and its volumes as ${change.address}`);
    if (
      (change.action === "replace" || change.action === "delete") &&
      observed?.details?.snapshotBeforeChange === true
    ) {
      for (const volume of volumesOf(observed)) notes.push(`snapshot ${volume} before terminating ${id}`);
    }
    const type = change.attributes.find((a) => a.path === "type");
    if (type && (change.action === "update" || change.action === "adopt")) {
      notes.push(`stop ${id}, change its type to ${String(type.after)}, then start it again`);
    }
    return notes;
  },

  desired(node, resolver, observed) {
    const s = memberSpec(node.spec);
    const errors: { message: string; hint?: string }[] = [];
    const image = desiredImage(s, node.group, resolver, observed);
    if (image.error) errors.push(image.error);
    const attributes: Attrs = { type: s.type, image: image.value };
    if (s.keyName !== undefined) attributes.keyName = s.keyName;
    if (s.securityGroups) {
      attributes.securityGroups = sortGroupIds(
        s.securityGroups.map((ref) => (ref.startsWith("sg-") ? ref : resolver.output(ref, "id"))),
      );
    }
    const observedSubnet =
      typeof observed?.attributes.subnet === "string" ? observed.attributes.subnet : undefined;
    const subnet = desiredSubnet(s.subnets, environmentSubnets(resolver.facts), s.index, observedSubnet);
    if (subnet) attributes.subnet = subnet;
    attributes.tags = desiredTags(s, resolver.env.tags, observed);

    const adoptId = s.adopt?.[s.index];
    const ownedBy = observed?.details?.ownedBy;
    if (typeof ownedBy === "string") {
      errors.push({
        message: `${adoptId} belongs to the parity environment "${ownedBy}" and cannot be adopted here`,
        hint: "remove it from adopt",
      });
    } else if (adoptId && !observed) {
      errors.push({
        message: `${adoptId} (adopt[${s.index}]) was not found pending, running or stopped in ${resolver.env.region}, or is already managed under another address`,
        hint: "remove it from adopt to launch a new instance in its place",
      });
    }
    return { attributes, ...(errors.length ? { errors } : {}) };
  },

  async lookup(ctx, nodes) {
    // Name patterns resolve to their newest AMI with one filtered DescribeImages per pattern.
    const patterns = new Map<string, { name: string; owners: string[] }>();
    for (const node of nodes) {
      const pattern = namePatternOf(memberSpec(node.spec).image);
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
        facts[key] = (newestImage(images) ?? null) as Value;
      }),
    );
    return facts;
  },

  async observe(ctx, nodes, env) {
    const specs = new Map<string, InstanceSpec>();
    for (const node of nodes) specs.set(node.group, memberSpec(node.spec));
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

    const found: ObservedNode[] = [];
    for (const instance of instances.values()) {
      const tags = fromAwsTags(instance.Tags);
      const owner = ownership(tags, env);
      const adoptAddress = owner.managed ? undefined : adoptAs.get(instance.InstanceId ?? "");
      const address = owner.address ?? adoptAddress;
      if (!address) continue;
      const group = specs.get(groupOf(address));
      const imageName = imageNames.get(instance.ImageId ?? "");
      const observed = observeInstance(instance, env, {
        ...(adoptAddress ? { adoptAs: adoptAddress } : {}),
        ...(group ? { snapshotBeforeChange: group.snapshotBeforeChange === true } : {}),
        ...(imageName ? { imageName } : {}),
      });
      if (!owner.managed && ownedElsewhere(tags, env)) {
        // Listed in adopt but another environment's: kept so desired() can say why it cannot be adopted.
        found.push({ ...observed, details: { ...observed.details, ownedBy: tags[TAG_ENVIRONMENT] ?? "" } });
      } else found.push(observed);
    }
    return found;
  },

  async create(ctx, op) {
    const node = op.node!;
    const s = memberSpec(node.spec);
    const desired = op.desired ?? {};
    const image = launchImage(s, node.group, op.resolver);
    if (typeof image.value !== "string")
      throw new Error(image.error?.message ?? "the AMI to launch from is not known");
    const subnet =
      typeof desired.subnet === "string"
        ? desired.subnet
        : launchSubnet(s.subnets, environmentSubnets(op.facts), s.index);
    const tags = toAwsTags({
      ...(desired.tags as Record<string, string>),
      ...ownershipTags(op.env, node.address, node.protect),
    });
    const request: RunInstancesCommandInput = {
      ImageId: image.value,
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
  },

  async update(ctx, op) {
    const observed = op.observed!;
    const desired = op.desired ?? {};
    const have = observed.attributes;
    if (Array.isArray(desired.securityGroups) && !sameValue(desired.securityGroups, have.securityGroups)) {
      await modifyGroups(ctx, observed.id, desired.securityGroups.map(String));
    }
    if (!sameValue(desired.type, have.type)) await changeType(ctx, observed.id, String(desired.type), op);
    const haveTags = (have.tags ?? {}) as Record<string, string>;
    const changed = Object.entries((desired.tags ?? {}) as Record<string, string>).filter(
      ([k, v]) => haveTags[k] !== v,
    );
    if (changed.length > 0) {
      await ctx.ec2.send(
        new CreateTagsCommand({ Resources: [observed.id], Tags: toAwsTags(Object.fromEntries(changed)) }),
      );
    }
    return observed.outputs;
  },

  async adopt(ctx, op) {
    const node = op.node!;
    const observed = op.observed!;
    await ctx.ec2.send(
      new CreateTagsCommand({
        Resources: [observed.id, ...volumesOf(observed)],
        Tags: toAwsTags({ ...ownershipTags(op.env, node.address, node.protect), [TAG_ADOPTED]: "true" }),
      }),
    );
    return instanceType.update(ctx, op);
  },

  async delete(ctx, op) {
    const observed = op.observed;
    const id = observed?.id ?? op.change.id ?? "";
    if (observed?.details?.snapshotBeforeChange === true)
      await snapshotVolumes(ctx, id, volumesOf(observed), op);
    await terminate(ctx, id, op);
  },
};

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

export const instances: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: instanceSchema,
  outputs: ["id", "privateIp"],
  expand: (address, spec) => expandInstances(address, spec),
  types: [instanceImageType, instanceType],
  check: (_address, spec) => checkInstances(spec),
};
