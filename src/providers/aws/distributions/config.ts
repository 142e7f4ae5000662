import type {
  CacheBehavior,
  DefaultCacheBehavior,
  DistributionConfig,
  Origin,
  OriginProtocolPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from "@aws-sdk/client-cloudfront";
import { METHODS } from "./canonical.js";
import type { CanonicalBehavior, CanonicalDistribution, CanonicalOrigin, MethodSet } from "./canonical.js";

/**
 * Writing the canonical shape back into a CloudFront DistributionConfig. Updates are
 * read-modify-write: start from the CURRENT config and change only what the file controls, so
 * everything else (logging, error pages, functions, settings made in the console) survives.
 */

function list<T>(items: T[]): { Quantity: number; Items: T[] } {
  return { Quantity: items.length, Items: items };
}

function methods(set: string): string[] {
  return [...(METHODS[set as MethodSet] ?? set.split(","))];
}

function origin(id: string, want: CanonicalOrigin, current: Origin | undefined): Origin {
  const base: Origin = current ? structuredClone(current) : { Id: id, DomainName: "" };
  // The file describes custom origins only (S3 website endpoints are custom origins too);
  // an S3 REST origin's settings cannot stay next to a CustomOriginConfig.
  delete base.S3OriginConfig;
  delete base.OriginAccessControlId;
  const custom = base.CustomOriginConfig;
  const sslProtocols = custom?.OriginSslProtocols?.Quantity ? custom.OriginSslProtocols : list(["TLSv1.2"]);
  return {
    ...base,
    Id: id,
    DomainName: String(want.domain),
    CustomOriginConfig: {
      ...(custom ?? {}),
      HTTPPort: want.httpPort,
      HTTPSPort: want.httpsPort,
      OriginProtocolPolicy: want.protocol as OriginProtocolPolicy,
      OriginSslProtocols: sslProtocols as NonNullable<typeof custom>["OriginSslProtocols"],
    },
  };
}

function behavior<T extends CacheBehavior | DefaultCacheBehavior>(
  want: CanonicalBehavior,
  current: Partial<T> | undefined,
): T {
  const out = (current ? structuredClone(current) : {}) as CacheBehavior;
  if (want.path !== undefined) out.PathPattern = want.path;
  out.TargetOriginId = want.origin;
  out.ViewerProtocolPolicy = want.viewerProtocol as ViewerProtocolPolicy;
  const allowed = methods(want.allowedMethods);
  out.AllowedMethods = {
    ...list(allowed),
    CachedMethods: list(["GET", "HEAD"]),
  } as CacheBehavior["AllowedMethods"];
  out.Compress = want.compress;
  if (want.cachePolicyId) {
    // A cache policy and the legacy settings are mutually exclusive in the API.
    out.CachePolicyId = want.cachePolicyId;
    delete out.ForwardedValues;
    delete out.MinTTL;
    delete out.DefaultTTL;
    delete out.MaxTTL;
  } else {
    // Legacy forwarding, used to pass headers such as Host and Authorization to an API origin:
    // everything the API needs reaches it, and TTL 0 keeps per-user answers out of the cache.
    delete out.CachePolicyId;
    out.ForwardedValues = {
      QueryString: true,
      Cookies: { Forward: "all" },
      Headers: list(want.forwardHeaders),
    };
    out.MinTTL = 0;
    out.DefaultTTL = 0;
    out.MaxTTL = 0;
  }
  if (want.originRequestPolicyId) out.OriginRequestPolicyId = want.originRequestPolicyId;
  else delete out.OriginRequestPolicyId;
  return out as T;
}

/** `current` with the file's settings applied; a new object, `current` is not modified. */
export function applyDesired(current: DistributionConfig, want: CanonicalDistribution): DistributionConfig {
  const next = structuredClone(current);
  next.Enabled = want.enabled;
  if (want.comment !== undefined) next.Comment = want.comment;
  if (want.priceClass !== undefined) next.PriceClass = want.priceClass as PriceClass;
  if (want.aliases !== undefined) next.Aliases = list(want.aliases);
  if (want.certificate !== undefined) {
    next.ViewerCertificate = {
      ACMCertificateArn: String(want.certificate.arn),
      // SNI only: dedicated-IP SSL costs $600 a month and no modern client needs it.
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: want.certificate.minimumProtocolVersion as NonNullable<
        DistributionConfig["ViewerCertificate"]
      >["MinimumProtocolVersion"],
    };
  }

  const currentOrigins = new Map((current.Origins?.Items ?? []).map((o) => [o.Id ?? "", o]));
  const origins = Object.entries(want.origins)
    .filter((entry): entry is [string, CanonicalOrigin] => entry[1] !== null)
    .map(([id, o]) => origin(id, o, currentOrigins.get(id)));
  next.Origins = list(origins);

  next.DefaultCacheBehavior = behavior<DefaultCacheBehavior>(
    want.defaultBehavior,
    current.DefaultCacheBehavior,
  );
  if (want.behaviors !== undefined) {
    const byPath = new Map((current.CacheBehaviors?.Items ?? []).map((b) => [b.PathPattern ?? "", b]));
    next.CacheBehaviors = list(
      want.behaviors.map((b) => behavior<CacheBehavior>(b, byPath.get(b.path ?? ""))),
    );
  }
  return next;
}

/** The config a new distribution is created with: CloudFront's required fields, then the file's. */
export function newConfig(callerReference: string, want: CanonicalDistribution): DistributionConfig {
  const skeleton: DistributionConfig = {
    CallerReference: callerReference,
    Comment: "",
    Enabled: want.enabled,
    Origins: list([]),
    DefaultCacheBehavior: { TargetOriginId: "", ViewerProtocolPolicy: "allow-all" },
    ViewerCertificate: { CloudFrontDefaultCertificate: true },
  };
  return applyDesired(skeleton, want);
}
