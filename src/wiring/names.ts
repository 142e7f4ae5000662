import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { hostName } from "./document.js";

/**
 * The names a certificate is valid for: from the file alone (`{ domain }`), plus, once discovery
 * has listed the account's certificates, every subject alternative name of the one it resolves to.
 * Undefined when the names cannot be known (an ARN the account listing did not show).
 */
export type CertificateNames = (certificate: Value | undefined, region: string) => string[] | undefined;

/** A certificate name covers a host exactly, or as a wildcard for exactly one label. */
export function covers(certificateName: string, host: string): boolean {
  const cert = hostName(certificateName);
  const name = hostName(host);
  if (cert === name) return true;
  if (!cert.startsWith("*.")) return false;
  const dot = name.indexOf(".");
  return dot > 0 && name.slice(dot + 1) === cert.slice(2);
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

/** What the file says: `{ domain: "*.example.com" }` is valid for that name; an ARN says nothing. */
export const fileCertificateNames: CertificateNames = (certificate) => {
  const domain = domainOf(certificate);
  return domain ? [domain] : undefined;
};

/**
 * Certificate names from discovery's facts. Kinds that look certificates up store
 * `{ "region|domain": arn }` maps (see providers' certificates.ts); inverting every such map
 * gives each ARN's names, whichever kind asked.
 */
export function factCertificateNames(facts: { [key: string]: Value }): CertificateNames {
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
    const arn = domain ? byKey.get(`${region}|${domain.toLowerCase()}`) : arnOf(certificate);
    const known = arn ? [...(names.get(arn) ?? [])] : [];
    const all = [...new Set([...(domain ? [domain] : []), ...known])];
    return all.length ? all : undefined;
  };
}
