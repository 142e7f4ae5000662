import { distributionExporter } from "./export.js";
import { aliasesCovered } from "./wiring.js";
import { mapKind } from "../../../engine/kinds.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { CLOUDFRONT_HOSTED_ZONE_ID } from "./canonical.js";
import { checkDistribution } from "./check.js";
import { desiredState } from "./desired.js";
import { lookupCertificates, observeDistributions } from "./observe.js";
import {
  adoptDistribution,
  createDistribution,
  deleteDistribution,
  updateDistribution,
} from "./operations.js";
import { DistributionSchema, TYPE } from "./schema.js";
import { owned } from "../common/owned.js";
import { taggerFor } from "./operations.js";

/**
 * CloudFront changes every setting in place, so nothing forces a replacement. A distribution has
 * no name: one made by hand is adopted by its aliases or by the `id` the file gives.
 */
export const distributionType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: DistributionSchema,
  expectedSeconds: { create: 600, update: 600, delete: 900 },
  risks(change) {
    if (change.action === "delete" || change.action === "replace") return ["downtime"];
    const disabling = change.attributes.some((a) => a.path === "enabled" && a.after === false);
    return disabling ? ["downtime"] : [];
  },
  notes(change) {
    if (change.action !== "delete") return [];
    return ["disable it, wait until CloudFront has deployed that, then delete it"];
  },
  plannedOutputs: () => ({ hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID }),
  lookup: lookupCertificates,
  desired: desiredState,
  observe: observeDistributions,
  create: createDistribution,
  update: updateDistribution,
  delete: deleteDistribution,
  adopt: adoptDistribution,
  exporter: distributionExporter,
};

export const distributions: Kind<AwsContext> = mapKind(
  owned(distributionType, (op) => taggerFor(String(op.observed?.outputs.arn ?? ""))),
  {
    outputs: ["id", "arn", "domainName", "dnsName", "hostedZoneId"],
    check: checkDistribution,
    wiring: [aliasesCovered],
  },
);
