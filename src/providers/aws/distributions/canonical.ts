import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig } from "@aws-sdk/client-cloudfront";
import type { Resolver } from "../../../engine/types.js";
import type { Attrs, Value } from "../../../model/index.js";
import { certificateKey, missingCertificateMessage } from "../certificates.js";

/**
 * The small canonical shape of a distribution: only what the file controls, in a form both
 * the file and CloudFront's answer normalise to. CloudFront's own additions (TTLs, trusted
 * signers, Quantity/Items wrappers, timeouts, OriginShield…) never appear here, so they can
 * never show as a difference.
 */

/** Every CloudFront distribution answers DNS from this one Route53 zone. */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";
/** The managed "CachingOptimized" policy: the console's default for a behaviour that sets nothing. */
export const CACHING_OPTIMIZED_POLICY = "658327ea-f89d-4fab-a63d-7e88639e58f6";
export const DEFAULT_MINIMUM_PROTOCOL = "TLSv1.2_2021";
/** CloudFront only serves certificates issued in us-east-1. */
export const CERTIFICATE_REGION = "us-east-1";
/** Facts key for certificates found in us-east-1 (load balancers use their own region's). */
export const CERTIFICATE_FACTS = "cloudfrontCertificates";

export const METHODS = {
  "get-head": ["GET", "HEAD"],
  "get-head-options": ["GET", "HEAD", "OPTIONS"],
  all: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
} as const;
export type MethodSet = keyof typeof METHODS;

export type BehaviorSpec = {
  path?: string;
  origin: string;
  viewerProtocol?: string;
  allowedMethods?: MethodSet;
  forwardHeaders?: string[];
  cachePolicyId?: string;
  originRequestPolicyId?: string;
  compress?: boolean;
};

export type OriginSpec = { domain: string; protocol: string; httpPort?: number; httpsPort?: number };

export type DistributionSpec = {
  aliases?: string[];
  certificate?: string | { domain?: string; arn?: string; minimumProtocolVersion?: string };
  origins: { [id: string]: OriginSpec };
  defaultBehavior: BehaviorSpec;
  behaviors?: BehaviorSpec[];
  enabled?: boolean;
  comment?: string;
  priceClass?: string;
  tags?: Record<string, string>;
};

export type CanonicalBehavior = {
  path?: string;
  origin: string;
  viewerProtocol: string;
  allowedMethods: string;
  compress: boolean;
  /** null: the legacy ForwardedValues settings decide caching (used with forwardHeaders). */
  cachePolicyId: string | null;
  originRequestPolicyId: string | null;
  forwardHeaders: string[];
};

export type CanonicalOrigin = { domain: Value; protocol: string; httpPort: number; httpsPort: number };

export type CanonicalDistribution = {
  enabled: boolean;
  comment?: string;
  priceClass?: string;
  aliases?: string[];
  certificate?: { arn: Value; minimumProtocolVersion: string };
  /** By origin id; `null` marks a live origin the file no longer lists (it is removed). */
  origins: { [id: string]: CanonicalOrigin | null };
  defaultBehavior: CanonicalBehavior;
  /** In order: CloudFront matches path patterns first to last, so order is meaningful. */
  behaviors?: CanonicalBehavior[];
};

export function hostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** Header names are case-insensitive and a set: lower-case and sort them. */
export function sortHeaders(headers: string[]): string[] {
  return [...new Set(headers.map((h) => h.trim().toLowerCase()))].sort();
}

export function sortAliases(aliases: string[]): string[] {
  return [...new Set(aliases.map(hostName))].sort();
}

/** AllowedMethods (a set) → the file's name for it; an unusual set keeps its method list. */
export function methodSetName(methods: string[] | undefined): string {
  const have = [...new Set((methods ?? []).map((m) => m.toUpperCase()))].sort();
  for (const [name, list] of Object.entries(METHODS)) {
    if (list.length === have.length && [...list].sort().every((m, i) => m === have[i])) return name;
  }
  return have.join(",");
}

export function behaviorFromSpec(spec: BehaviorSpec, inheritedViewerProtocol: string): CanonicalBehavior {
  // A behaviour that names neither a cache policy nor headers gets the managed CachingOptimized
  // policy; forwarding headers needs the legacy settings (a cache policy cannot forward Host).
  const legacy = spec.forwardHeaders !== undefined && spec.cachePolicyId === undefined;
  return {
    ...(spec.path !== undefined ? { path: spec.path } : {}),
    origin: spec.origin,
    viewerProtocol: spec.viewerProtocol ?? inheritedViewerProtocol,
    allowedMethods: spec.allowedMethods ?? "get-head",
    compress: spec.compress ?? true,
    cachePolicyId: legacy ? null : (spec.cachePolicyId ?? CACHING_OPTIMIZED_POLICY),
    originRequestPolicyId: spec.originRequestPolicyId ?? null,
    forwardHeaders: legacy ? sortHeaders(spec.forwardHeaders ?? []) : [],
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
    ...(spec.comment !== undefined ? { comment: spec.comment } : {}),
    ...(spec.priceClass !== undefined ? { priceClass: spec.priceClass } : {}),
    ...(spec.aliases !== undefined ? { aliases: sortAliases(spec.aliases) } : {}),
    origins,
    defaultBehavior: behaviorFromSpec(spec.defaultBehavior, viewerProtocol),
    ...(spec.behaviors !== undefined
      ? { behaviors: spec.behaviors.map((b) => behaviorFromSpec(b, viewerProtocol)) }
      : {}),
  };

  if (spec.certificate !== undefined) {
    const cert = typeof spec.certificate === "string" ? { arn: spec.certificate } : spec.certificate;
    let arn: Value = cert.arn ?? "";
    if (cert.domain !== undefined) {
      const found = (resolver.facts[CERTIFICATE_FACTS] as { [key: string]: string } | undefined)?.[
        certificateKey(cert.domain, CERTIFICATE_REGION)
      ];
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

function behaviorFromConfig(b: Partial<CacheBehavior | DefaultCacheBehavior>): CanonicalBehavior {
  const cachePolicyId = b.CachePolicyId ? b.CachePolicyId : null;
  return {
    ...("PathPattern" in b && b.PathPattern !== undefined ? { path: b.PathPattern } : {}),
    origin: b.TargetOriginId ?? "",
    viewerProtocol: b.ViewerProtocolPolicy ?? "",
    allowedMethods: methodSetName(b.AllowedMethods?.Items),
    // The API's default when unset is false (moto fills in true).
    compress: b.Compress ?? false,
    cachePolicyId,
    originRequestPolicyId: b.OriginRequestPolicyId ? b.OriginRequestPolicyId : null,
    // With a cache policy the headers are the policy's business; moto still echoes an empty
    // ForwardedValues next to it, which must not count.
    forwardHeaders: cachePolicyId ? [] : sortHeaders(b.ForwardedValues?.Headers?.Items ?? []),
  };
}

/** CloudFront's DistributionConfig → the canonical shape (tags are added by the caller). */
export function canonicalFromConfig(config: DistributionConfig): CanonicalDistribution {
  const origins: CanonicalDistribution["origins"] = {};
  for (const o of config.Origins?.Items ?? []) {
    origins[o.Id ?? ""] = {
      domain: hostName(o.DomainName ?? ""),
      protocol: o.CustomOriginConfig?.OriginProtocolPolicy ?? "s3",
      httpPort: o.CustomOriginConfig?.HTTPPort ?? 80,
      httpsPort: o.CustomOriginConfig?.HTTPSPort ?? 443,
    };
  }
  const viewer = config.ViewerCertificate;
  return {
    enabled: config.Enabled ?? false,
    comment: config.Comment ?? "",
    priceClass: config.PriceClass ?? "PriceClass_All",
    aliases: sortAliases(config.Aliases?.Items ?? []),
    // An ACM ARN wins over CloudFrontDefaultCertificate (moto reports both as set).
    certificate: {
      arn: viewer?.ACMCertificateArn ? viewer.ACMCertificateArn : null,
      minimumProtocolVersion: viewer?.MinimumProtocolVersion ?? "TLSv1",
    },
    origins,
    defaultBehavior: behaviorFromConfig(config.DefaultCacheBehavior ?? {}),
    behaviors: (config.CacheBehaviors?.Items ?? []).map(behaviorFromConfig),
  };
}

export function asAttrs(c: CanonicalDistribution): Attrs {
  return c as unknown as Attrs;
}

export function fromAttrs(a: Attrs): CanonicalDistribution {
  return a as unknown as CanonicalDistribution;
}
