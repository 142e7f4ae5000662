import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import type { Doc, Entry, Finding } from "./document.js";
import { dnsRecords, entries, entry, refTo } from "./document.js";
import { covers } from "./names.js";
import type { CertificateNames } from "./names.js";

/** CloudFront serves its own `*.cloudfront.net` certificate when a distribution names none. */
const CLOUDFRONT_DEFAULT = "*.cloudfront.net";
/** CloudFront only takes certificates from us-east-1. */
const CLOUDFRONT_REGION = "us-east-1";

function distributionNames(d: Entry, names: CertificateNames): string[] | undefined {
  return d.certificate === undefined ? [CLOUDFRONT_DEFAULT] : names(d.certificate, CLOUDFRONT_REGION);
}

function httpsListeners(lb: Entry): { index: number; certificate: Value | undefined }[] {
  const listeners = Array.isArray(lb.listeners) ? lb.listeners : [];
  return listeners.flatMap((l, index) =>
    isPlainObject(l) && l.protocol === "HTTPS" ? [{ index, certificate: l.certificate }] : [],
  );
}

function notCovered(host: string, what: string, certificate: string[], path: Finding["path"]): Finding {
  return {
    path,
    message: `${host} is not covered by the certificate of ${what} (${certificate.join(", ")})`,
    hint: `browsers will refuse https://${host}: use a certificate for ${host} or for *.${host.split(".").slice(1).join(".")}`,
  };
}

/**
 * The certificate covers every name served through it: a distribution's aliases, and every DNS
 * record aliasing a distribution or a load balancer with HTTPS listeners.
 */
export function certificateCoverage(doc: Doc, names: CertificateNames, region: string): Finding[] {
  const findings: Finding[] = [];
  for (const [name, d] of entries(doc, "distributions")) {
    const cert = distributionNames(d, names);
    if (!cert || !Array.isArray(d.aliases)) continue;
    d.aliases.forEach((alias, i) => {
      if (typeof alias === "string" && !cert.some((c) => covers(c, alias)))
        findings.push(
          notCovered(alias, `distributions.${name}`, cert, ["distributions", name, "aliases", i]),
        );
    });
  }
  for (const record of dnsRecords(doc)) {
    const path = ["dns", "records", record.index, "name"];
    const distribution = refTo(record.alias, "distributions");
    const d = entry(doc, "distributions", distribution);
    if (d) {
      const cert = distributionNames(d, names);
      if (cert && !cert.some((c) => covers(c, record.name)))
        findings.push(notCovered(record.name, `distributions.${distribution}`, cert, path));
    }
    const balancer = refTo(record.alias, "loadBalancers");
    const lb = entry(doc, "loadBalancers", balancer);
    for (const listener of lb ? httpsListeners(lb) : []) {
      const cert = names(listener.certificate, region);
      if (cert && !cert.some((c) => covers(c, record.name)))
        findings.push(
          notCovered(record.name, `loadBalancers.${balancer}.listeners[${listener.index}]`, cert, path),
        );
    }
  }
  return findings;
}
