import type { Resolver, ResourceType } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import {
  certificateFromFacts,
  isCertificateReference,
  missingCertificateMessage,
  referencedCertificate,
} from "../common/certificates.js";
import { userTags } from "../common/ownership.js";
import { objectOf, stringList } from "../common/readers.js";
import {
  CACHING_OPTIMIZED_POLICY,
  CERTIFICATE_FACTS,
  CERTIFICATE_REGION,
  DEFAULT_MINIMUM_PROTOCOL,
  asAttrs,
  canonicalCookies,
  hostName,
  sortAliases,
  sortHeaders,
} from "./canonical.js";
import type { CanonicalBehavior, CanonicalDistribution } from "./canonical.js";
import { CANDIDATES } from "./adoption.js";
import { distributionSpec } from "./schema.js";
import type { BehaviorSpec, DistributionSpec } from "./schema.js";

export function behaviorFromSpec(spec: BehaviorSpec, inheritedViewerProtocol: string): CanonicalBehavior {
  // A behaviour that names neither a cache policy nor headers gets the managed CachingOptimized
  // policy; forwarding headers needs the legacy settings (a cache policy cannot forward Host).
  const legacy =
    (spec.forwardHeaders !== undefined ||
      spec.forwardCookies !== undefined ||
      spec.forwardQueryString !== undefined) &&
    spec.cachePolicyId === undefined;
  return {
    ...(spec.path !== undefined ? { path: spec.path } : {}),
    origin: spec.origin,
    viewerProtocol: spec.viewerProtocol ?? inheritedViewerProtocol,
    allowedMethods: spec.allowedMethods ?? "get-head",
    compress: spec.compress ?? true,
    cachePolicyId: legacy ? null : (spec.cachePolicyId ?? CACHING_OPTIMIZED_POLICY),
    originRequestPolicyId: spec.originRequestPolicyId ?? null,
    forwardHeaders: legacy ? sortHeaders(spec.forwardHeaders ?? []) : [],
    forwardCookies: legacy ? canonicalCookies(spec.forwardCookies ?? "all") : null,
    forwardQueryString: legacy ? (spec.forwardQueryString ?? true) : null,
  };
}

export type DesiredResult = {
  attributes: CanonicalDistribution;
  errors: { message: string; hint?: string }[];
};

/**
 * The file's distribution in canonical form. Origin domains are usually interpolated from
 * other resources and may be Unknown at plan time. `liveOriginIds` are the observed origins,
 * so an origin dropped from the file shows as `origins.<id>: … → null`.
 */
export function desiredDistribution(
  spec: DistributionSpec,
  resolver: Resolver,
  liveOriginIds: string[] = [],
): DesiredResult {
  const errors: DesiredResult["errors"] = [];
  const origins: CanonicalDistribution["origins"] = {};
  for (const [id, origin] of Object.entries(spec.origins)) {
    const domain = origin.domain.includes("${") ? resolver.interpolate(origin.domain) : origin.domain;
    origins[id] = {
      domain: typeof domain === "string" ? hostName(domain) : domain,
      protocol: origin.protocol,
      httpPort: origin.httpPort ?? 80,
      httpsPort: origin.httpsPort ?? 443,
    };
  }
  for (const id of liveOriginIds) if (!(id in origins)) origins[id] = null;

  const viewerProtocol = spec.defaultBehavior.viewerProtocol ?? "redirect-to-https";
  const attributes: CanonicalDistribution = {
    enabled: spec.enabled ?? true,
    // Left out, each is compared with its default (the schema's), so a change by hand shows.
    comment: spec.comment ?? "",
    priceClass: spec.priceClass ?? "PriceClass_All",
    aliases: sortAliases(spec.aliases ?? []),
    origins,
    defaultBehavior: behaviorFromSpec(spec.defaultBehavior, viewerProtocol),
    behaviors: (spec.behaviors ?? []).map((b) => behaviorFromSpec(b, viewerProtocol)),
  };

  if (spec.certificate !== undefined) {
    const cert = typeof spec.certificate === "string" ? { arn: spec.certificate } : spec.certificate;
    let arn: Value = cert.arn ?? "";
    if (isCertificateReference(cert.arn)) {
      const found = referencedCertificate(resolver, cert.arn, CERTIFICATE_REGION, "CloudFront");
      arn = found.arn;
      if (found.error) errors.push(found.error);
    } else if (cert.domain !== undefined) {
      const found = certificateFromFacts(resolver.facts[CERTIFICATE_FACTS], cert.domain, CERTIFICATE_REGION);
      if (found) arn = found;
      else {
        errors.push({
          message: missingCertificateMessage(cert.domain, CERTIFICATE_REGION),
          hint: "CloudFront only uses ACM certificates from us-east-1: request or import one there",
        });
      }
    }
    attributes.certificate = {
      arn,
      minimumProtocolVersion: cert.minimumProtocolVersion ?? DEFAULT_MINIMUM_PROTOCOL,
    };
  }
  return { attributes, errors };
}

/** The node's distribution, plus its tags; origins the live one has and the file dropped show as removed. */
export const desiredState: ResourceType<unknown>["desired"] = (node, resolver, observed) => {
  const spec = distributionSpec(node);
  const liveOrigins = Object.keys(objectOf(observed?.attributes.origins));
  const { attributes, errors } = desiredDistribution(spec, resolver, liveOrigins);
  errors.push(...adoptionErrors(spec, observed));
  return {
    attributes: { ...asAttrs(attributes), tags: userTags(resolver.env, spec.tags) },
    ...(errors.length > 0 ? { errors } : {}),
  };
};

/** An entry that names a distribution which is not there, or matches several: the plan cannot choose. */
function adoptionErrors(spec: DistributionSpec, observed: ObservedNode | undefined): DesiredResult["errors"] {
  if (spec.id !== undefined && observed === undefined) {
    return [
      {
        message: `no distribution ${spec.id} exists to adopt`,
        hint: "check the id with `aws cloudfront list-distributions`, or remove `id` to create one",
      },
    ];
  }
  const candidates = stringList(observed?.details?.[CANDIDATES]);
  if (candidates.length < 2) return [];
  return [
    {
      message: `distributions ${candidates.join(" and ")} both serve ${(spec.aliases ?? []).join(", ")}`,
      hint: "name the one to adopt with `id:` (and remove the alias from the other)",
    },
  ];
}
