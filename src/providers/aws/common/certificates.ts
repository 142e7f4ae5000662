import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";

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
