import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { CertificateNames } from "../../../engine/wiring.js";
import type { Resolver } from "../../../engine/types.js";

/** Issued certificates' ARNs by `certificateKey(domain, region)`, as a lookup records them in facts. */
export type CertificateFacts = { [domainAndRegion: string]: string };

export function certificateKey(domain: string, region: string): string {
  return `${region}|${domain.toLowerCase()}`;
}

export function missingCertificateMessage(domain: string, region: string): string {
  return `no ISSUED ACM certificate for ${domain} in ${region}`;
}

/** The ARN a certificate lookup found for a domain in a region, read from its facts. */
export function certificateFromFacts(
  facts: Value | undefined,
  domain: string,
  region: string,
): string | undefined {
  if (!isPlainObject(facts)) return undefined;
  const arn = facts[certificateKey(domain, region)];
  return typeof arn === "string" && arn !== "" ? arn : undefined;
}

function domainOf(certificate: Value | undefined): string | undefined {
  return isPlainObject(certificate) && typeof certificate.domain === "string"
    ? certificate.domain
    : undefined;
}

function arnOf(certificate: Value | undefined): string | undefined {
  if (typeof certificate === "string") return certificate;
  return isPlainObject(certificate) && typeof certificate.arn === "string" ? certificate.arn : undefined;
}

/**
 * The names each certificate is valid for, from discovery's facts. Kinds that look certificates up
 * store `{ "region|domain": arn }` maps; inverting every such map gives each ARN's names, whichever
 * kind asked, so a rule learns an ARN's subject alternative names too.
 */
export function certificateNamesFromFacts(facts: { [key: string]: Value }): CertificateNames {
  const byKey = new Map<string, string>();
  const names = new Map<string, Set<string>>();
  for (const fact of Object.values(facts)) {
    if (!isPlainObject(fact)) continue;
    for (const [key, arn] of Object.entries(fact)) {
      const bar = key.indexOf("|");
      if (bar < 0 || typeof arn !== "string" || !/^arn:aws[a-z-]*:acm:/.test(arn)) continue;
      byKey.set(key, arn);
      names.set(arn, (names.get(arn) ?? new Set()).add(key.slice(bar + 1)));
    }
  }
  return (certificate, region) => {
    const domain = domainOf(certificate);
    const arn = domain ? byKey.get(certificateKey(domain, region)) : arnOf(certificate);
    const known = arn ? [...(names.get(arn) ?? [])] : [];
    const all = [...new Set([...(domain ? [domain] : []), ...known])];
    return all.length ? all : undefined;
  };
}

/** `certificates.x`: a certificate the file manages, where `certificate:` is written. */
export const CERTIFICATE_REFERENCE = "^certificates\\.[A-Za-z0-9_-]+$";

export function isCertificateReference(value: unknown): value is string {
  return typeof value === "string" && new RegExp(CERTIFICATE_REFERENCE).test(value);
}

/**
 * The ARN a `certificates.x` reference resolves to (an Unknown until it is requested), or the
 * error when it lives in another region than its user can take it from.
 */
export function referencedCertificate(
  resolver: Resolver,
  reference: string,
  region: string,
  user: string,
): { arn: Value; error?: { message: string; hint: string } } {
  const arn = resolver.output(reference, "arn");
  const lives = resolver.output(reference, "region");
  if (typeof lives !== "string" || lives === region) return { arn };
  return {
    arn,
    error: {
      message: `${reference} is in ${lives}, but ${user} takes certificates from ${region} only`,
      hint: `set region: ${region} on ${reference}, or declare a second certificate there`,
    },
  };
}
