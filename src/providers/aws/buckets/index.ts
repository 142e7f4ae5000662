import { bucketExporter } from "./export.js";
import { mapKind } from "../../../engine/kinds.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { DELETION_NEEDS } from "./copy.js";
import { lookupCopySources } from "./copySources.js";
import { checkBucket, desiredBucket } from "./desired.js";
import { bucketOutputs } from "./naming.js";
import { observeBuckets } from "./observe.js";
import { adoptBucket, createBucket, deleteBucket, updateBucket } from "./operations.js";
import { BucketSchema, TYPE, bucketSpec } from "./schema.js";
import { owned } from "../common/owned.js";
import { bucketTagger } from "./tagging.js";

export const bucketType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: BucketSchema,

  risks(change) {
    const destroys = change.action === "delete" || change.action === "replace";
    // Anything but a bucket known to be empty may hold data nobody else has; a sync that deletes
    // objects loses them as surely (its note says so; see copyNotes).
    if (destroys && change.before?.contents !== "empty") return ["data-loss"];
    return change.notes.some((n) => n.endsWith(DELETION_NEEDS)) ? ["data-loss"] : [];
  },

  notes(change) {
    if (change.action === "delete" && change.before?.contents !== "empty") {
      return ["holds objects: deleted only with --allow-destroy, which deletes every object first"];
    }
    return [];
  },

  plannedOutputs: (node, env) => bucketOutputs(bucketSpec(node).name, env.region),
  desired: desiredBucket,
  observe: observeBuckets,
  lookup: lookupCopySources,
  create: createBucket,
  update: updateBucket,
  adopt: adoptBucket,
  delete: deleteBucket,
  exporter: bucketExporter,
};

export const buckets: Kind<AwsContext> = mapKind(
  owned(bucketType, () => bucketTagger),
  {
    outputs: ["name", "arn", "websiteDomain", "domainName"],
    check: checkBucket,
  },
);
