import type { DesiredState, Facts, Resolver } from "../../../../engine/types.js";
import type { Attrs, DesiredNode } from "../../../../model/index.js";
import { isPlainObject, unknown } from "../../../../model/index.js";
import {
  certificateKey,
  isCertificateReference,
  missingCertificateMessage,
  referencedCertificate,
} from "../../common/certificates.js";
import { LISTENER_DEFAULTS, listenerSpec } from "./schema.js";

/** Facts key for the region's issued certificates, by `certificateKey(domain, region)`. */
export const CERTIFICATES = "listenerCertificates";

/** `301`, `"301"` and `"HTTP_301"` are the same status code; AWS spells it `HTTP_301`. */
export function normaliseStatusCode(code: number | string): string {
  const text = String(code).toUpperCase();
  return text.startsWith("HTTP_") ? text : `HTTP_${text}`;
}

/**
 * AWS fills in host, path and query (`#{host}`…), which parity does not manage, so not compared.
 * Takes any spelling of the protocol and code (not only the schema's), since it is what normalises them.
 */
export function desiredRedirect(spec: {
  protocol: string;
  port: number;
  statusCode?: number | string;
}): Attrs {
  return {
    protocol: spec.protocol.toUpperCase(),
    port: String(spec.port),
    statusCode: normaliseStatusCode(spec.statusCode ?? LISTENER_DEFAULTS.statusCode),
  };
}

/** The newest issued certificate for a domain, from the facts the listener type looked up. */
function issuedCertificate(facts: Facts, domain: string, region: string): string | undefined {
  const certificates = facts[CERTIFICATES];
  const arn = isPlainObject(certificates) ? certificates[certificateKey(domain, region)] : undefined;
  return typeof arn === "string" ? arn : undefined;
}

/**
 * The listener the file asks for. Its load balancer and target group resolve to ARNs; a
 * certificate named by domain resolves to the region's issued one, or the plan says none is.
 */
export function desiredListener(node: DesiredNode, resolver: Resolver): DesiredState {
  const s = listenerSpec(node);
  const errors: { message: string; hint?: string }[] = [];
  const attributes: Attrs = {
    loadBalancer: resolver.output(s.loadBalancer, "arn"),
    port: s.port,
    protocol: s.protocol,
  };
  if (s.protocol === "HTTPS" && s.certificate !== undefined) {
    if (isCertificateReference(s.certificate)) {
      const found = referencedCertificate(resolver, s.certificate, resolver.env.region, "a load balancer");
      attributes.certificate = found.arn;
      if (found.error) errors.push(found.error);
    } else if (typeof s.certificate === "string") attributes.certificate = s.certificate;
    else {
      const { domain } = s.certificate;
      const region = resolver.env.region;
      const arn = issuedCertificate(resolver.facts, domain, region);
      if (arn) attributes.certificate = arn;
      else {
        attributes.certificate = unknown(`certificate for ${domain}`);
        errors.push({
          message: missingCertificateMessage(domain, region),
          hint: `request or import it in ACM in ${region} (an HTTPS listener needs a certificate in its own region), or give its ARN`,
        });
      }
    }
  }
  // Only HTTPS listeners have a policy: an HTTP one reads back none.
  attributes.sslPolicy = s.protocol === "HTTPS" ? (s.sslPolicy ?? LISTENER_DEFAULTS.httpsSslPolicy) : null;
  attributes.forward = s.forward !== undefined ? resolver.output(s.forward, "arn") : null;
  attributes.redirect = s.redirect !== undefined ? desiredRedirect(s.redirect) : null;
  return { attributes, ...(errors.length ? { errors } : {}) };
}
