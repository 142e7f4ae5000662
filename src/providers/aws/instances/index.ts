import { instanceExporter } from "./export.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { desiredInstance } from "./desired.js";
import { instanceImageType } from "./images/index.js";
import { lookupKeyPairs } from "./keyPairs.js";
import { checkInstances, expandInstances } from "./members.js";
import { lookupImages, observeInstances, volumesOf } from "./observe.js";
import { adoptInstance, createInstance, deleteInstance, memberTagger, updateInstance } from "./operations.js";
import { InstanceSchema, TYPE } from "./schema.js";
import { snapshotsFirst } from "./snapshots.js";
import { owned } from "../common/owned.js";
import { ec2Tagger } from "../common/ec2.js";

export const instanceType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: InstanceSchema,
  // Chosen per member from the entry's `subnets` (desired.ts); a member can only move by relaunching.
  replaceOn: ["subnet"],
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
    // In the order apply does them: the snapshots come before anything else.
    if (snapshotsFirst(change, observed)) {
      const what = change.action === "replace" || change.action === "delete" ? "terminating" : "changing";
      for (const volume of volumesOf(observed)) notes.push(`snapshot ${volume} before ${what} ${id}`);
    }
    if (change.action === "adopt") notes.push(`tag ${id} and its volumes as ${change.address}`);
    const type = change.attributes.find((a) => a.path === "type");
    if (type && (change.action === "update" || change.action === "adopt")) {
      notes.push(`stop ${id}, change its type to ${String(type.after)}, then start it again`);
    }
    return notes;
  },

  desired: desiredInstance,
  lookup: async (ctx, nodes) => {
    const [images, keyPairs] = await Promise.all([lookupImages(ctx, nodes), lookupKeyPairs(ctx, nodes)]);
    return { ...images, ...keyPairs };
  },
  observe: observeInstances,
  create: createInstance,
  update: updateInstance,
  adopt: adoptInstance,
  delete: deleteInstance,
  exporter: instanceExporter,
};

export const instances: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: InstanceSchema,
  outputs: ["id", "privateIp"],
  expand: expandInstances,
  // A member's volumes carry its ownership too (launched with it, or claimed when adopted).
  types: [owned(instanceImageType, () => ec2Tagger), owned(instanceType, (op) => memberTagger(op.observed))],
  check: (_address, spec) => checkInstances(spec),
};
