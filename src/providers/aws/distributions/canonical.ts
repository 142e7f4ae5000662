import type { Attrs, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { maybeString, objectOf, stringList } from "../common/readers.js";
import { plainAttrs } from "../common/values.js";

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
  /** With legacy forwarding: `all`, `none` or the sorted cookie names; null under a cache policy. */
  forwardCookies: string | string[] | null;
  forwardQueryString: boolean | null;
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

/**
 * Header names are a set: each once (whatever its case) and sorted, but spelt as written, since
 * CloudFront sends them to the origin the way it stores them.
 */
export function sortHeaders(headers: string[]): string[] {
  const byName = new Map<string, string>();
  for (const header of headers.map((h) => h.trim())) {
    if (!byName.has(header.toLowerCase())) byName.set(header.toLowerCase(), header);
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, header]) => header);
}

/** `all`, `none`, or a set of cookie names, sorted. */
export function canonicalCookies(cookies: "all" | "none" | string[]): string | string[] {
  return Array.isArray(cookies) ? [...new Set(cookies)].sort() : cookies;
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

/** The methods a set's name stands for (an unusual set is its own comma-separated list). */
export function methodsOf(set: string): string[] {
  const named = Object.entries(METHODS).find(([name]) => name === set)?.[1];
  return named ? [...named] : set.split(",");
}

export function asAttrs(c: CanonicalDistribution): Attrs {
  return plainAttrs(c);
}

function behaviorOf(value: Value | undefined): CanonicalBehavior {
  const b = objectOf(value);
  const path = maybeString(b.path);
  return {
    ...(path !== undefined ? { path } : {}),
    origin: String(b.origin ?? ""),
    viewerProtocol: String(b.viewerProtocol ?? ""),
    allowedMethods: String(b.allowedMethods ?? ""),
    compress: b.compress === true,
    cachePolicyId: maybeString(b.cachePolicyId) ?? null,
    originRequestPolicyId: maybeString(b.originRequestPolicyId) ?? null,
    forwardHeaders: stringList(b.forwardHeaders),
    forwardCookies: Array.isArray(b.forwardCookies)
      ? stringList(b.forwardCookies)
      : (maybeString(b.forwardCookies) ?? null),
    forwardQueryString: typeof b.forwardQueryString === "boolean" ? b.forwardQueryString : null,
  };
}

function originOf(value: Value): CanonicalOrigin | null {
  if (!isPlainObject(value)) return null;
  return {
    domain: value.domain ?? "",
    protocol: String(value.protocol ?? ""),
    httpPort: Number(value.httpPort),
    httpsPort: Number(value.httpsPort),
  };
}

/** Attributes back in the canonical shape (the inverse of `asAttrs`), as apply receives them. */
export function canonicalOf(a: Attrs): CanonicalDistribution {
  const origins: CanonicalDistribution["origins"] = {};
  for (const [id, origin] of Object.entries(objectOf(a.origins))) origins[id] = originOf(origin);
  const comment = maybeString(a.comment);
  const priceClass = maybeString(a.priceClass);
  const certificate = isPlainObject(a.certificate) ? a.certificate : undefined;
  return {
    enabled: a.enabled === true,
    ...(comment !== undefined ? { comment } : {}),
    ...(priceClass !== undefined ? { priceClass } : {}),
    ...(Array.isArray(a.aliases) ? { aliases: stringList(a.aliases) } : {}),
    ...(certificate
      ? {
          certificate: {
            arn: certificate.arn ?? null,
            minimumProtocolVersion: String(certificate.minimumProtocolVersion ?? ""),
          },
        }
      : {}),
    origins,
    defaultBehavior: behaviorOf(a.defaultBehavior),
    ...(Array.isArray(a.behaviors) ? { behaviors: a.behaviors.map(behaviorOf) } : {}),
  };
}
