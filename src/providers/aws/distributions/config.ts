import {
  ItemSelection,
  Method,
  MinimumProtocolVersion,
  OriginProtocolPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from "@aws-sdk/client-cloudfront";
import type {
  CacheBehavior,
  CookiePreference,
  DefaultCacheBehavior,
  DistributionConfig,
  Origin,
  SslProtocol,
} from "@aws-sdk/client-cloudfront";
import { enumMember } from "../common/values.js";
import {
  canonicalCookies,
  hostName,
  methodSetName,
  methodsOf,
  sortAliases,
  sortHeaders,
} from "./canonical.js";
import type { CanonicalBehavior, CanonicalDistribution, CanonicalOrigin } from "./canonical.js";

/**
 * CloudFront's DistributionConfig and the canonical shape, both ways. Updates are
 * read-modify-write: start from the CURRENT config and change only what the file controls, so
 * everything else (logging, error pages, functions, settings made in the console) survives.
 */

function list<T>(items: T[]): { Quantity: number; Items: T[] } {
  return { Quantity: items.length, Items: items };
}

/** The schema's enums are subsets of CloudFront's: anything else never reaches the API. */
function member<T extends string>(values: { [name: string]: T }, value: string): T {
  const found = enumMember(values, value);
  if (found === undefined) throw new Error(`CloudFront has no setting "${value}"`);
  return found;
}

function origin(id: string, want: CanonicalOrigin, current: Origin | undefined): Origin {
  const base: Origin = current ? structuredClone(current) : { Id: id, DomainName: "" };
  // The file describes custom origins only (S3 website endpoints are custom origins too);
  // an S3 REST origin's settings cannot stay next to a CustomOriginConfig.
  delete base.S3OriginConfig;
  delete base.OriginAccessControlId;
  const custom = base.CustomOriginConfig;
  const sslProtocols = custom?.OriginSslProtocols?.Quantity
    ? custom.OriginSslProtocols
    : list<SslProtocol>(["TLSv1.2"]);
  return {
    ...base,
    Id: id,
    DomainName: String(want.domain),
    CustomOriginConfig: {
      ...(custom ?? {}),
      HTTPPort: want.httpPort,
      HTTPSPort: want.httpsPort,
      OriginProtocolPolicy: member(OriginProtocolPolicy, want.protocol),
      OriginSslProtocols: sslProtocols,
    },
  };
}

/** Writes the file's settings into a behaviour (a copy of the current one, or a new one). */
function writeBehavior(out: DefaultCacheBehavior, want: CanonicalBehavior): void {
  out.TargetOriginId = want.origin;
  out.ViewerProtocolPolicy = member(ViewerProtocolPolicy, want.viewerProtocol);
  out.AllowedMethods = {
    ...list(methodsOf(want.allowedMethods).map((m) => member(Method, m))),
    CachedMethods: list<Method>(["GET", "HEAD"]),
  };
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
    const cookies = want.forwardCookies ?? "all";
    out.ForwardedValues = {
      QueryString: want.forwardQueryString ?? true,
      Cookies: Array.isArray(cookies)
        ? { Forward: "whitelist", WhitelistedNames: list(cookies) }
        : { Forward: member(ItemSelection, cookies) },
      Headers: list(want.forwardHeaders),
    };
    out.MinTTL = 0;
    out.DefaultTTL = 0;
    out.MaxTTL = 0;
  }
  if (want.originRequestPolicyId) out.OriginRequestPolicyId = want.originRequestPolicyId;
  else delete out.OriginRequestPolicyId;
}

function defaultBehavior(want: CanonicalBehavior, current: DefaultCacheBehavior | undefined) {
  const out: DefaultCacheBehavior = current
    ? structuredClone(current)
    : { TargetOriginId: "", ViewerProtocolPolicy: "allow-all" };
  writeBehavior(out, want);
  return out;
}

function cacheBehavior(want: CanonicalBehavior, current: CacheBehavior | undefined): CacheBehavior {
  const path = want.path ?? "";
  const out: CacheBehavior = current
    ? structuredClone(current)
    : { PathPattern: path, TargetOriginId: "", ViewerProtocolPolicy: "allow-all" };
  out.PathPattern = path;
  writeBehavior(out, want);
  return out;
}

/** `current` with the file's settings applied; a new object, `current` is not modified. */
export function applyDesired(current: DistributionConfig, want: CanonicalDistribution): DistributionConfig {
  const next = structuredClone(current);
  next.Enabled = want.enabled;
  if (want.comment !== undefined) next.Comment = want.comment;
  if (want.priceClass !== undefined) next.PriceClass = member(PriceClass, want.priceClass);
  if (want.aliases !== undefined) next.Aliases = list(want.aliases);
  if (want.certificate !== undefined) {
    next.ViewerCertificate = {
      ACMCertificateArn: String(want.certificate.arn),
      // SNI only: dedicated-IP SSL costs $600 a month and no modern client needs it.
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: member(MinimumProtocolVersion, want.certificate.minimumProtocolVersion),
    };
  }

  const currentOrigins = new Map((current.Origins?.Items ?? []).map((o) => [o.Id ?? "", o]));
  const origins = Object.entries(want.origins)
    .filter((entry): entry is [string, CanonicalOrigin] => entry[1] !== null)
    .map(([id, o]) => origin(id, o, currentOrigins.get(id)));
  next.Origins = list(origins);

  next.DefaultCacheBehavior = defaultBehavior(want.defaultBehavior, current.DefaultCacheBehavior);
  if (want.behaviors !== undefined) {
    const byPath = new Map((current.CacheBehaviors?.Items ?? []).map((b) => [b.PathPattern ?? "", b]));
    next.CacheBehaviors = list(want.behaviors.map((b) => cacheBehavior(b, byPath.get(b.path ?? ""))));
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
    forwardCookies: cachePolicyId ? null : cookiesFromConfig(b.ForwardedValues?.Cookies),
    forwardQueryString: cachePolicyId ? null : (b.ForwardedValues?.QueryString ?? false),
  };
}

/** CloudFront's cookie setting in the canonical form; a whitelist is its sorted names. */
function cookiesFromConfig(cookies: CookiePreference | undefined): string | string[] {
  if (cookies?.Forward === "whitelist") return canonicalCookies(cookies.WhitelistedNames?.Items ?? []);
  return cookies?.Forward ?? "none";
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
