import { certificateNamesOf } from "../certificates/wiring.js";
import type { WiringRule, WiringView } from "../../../engine/wiring.js";
import { covers, notCovered } from "../../../engine/wiring.js";
import type { DesiredNode } from "../../../model/index.js";
import { TYPE } from "./schema.js";

/** CloudFront serves its own `*.cloudfront.net` certificate when a distribution names none. */
const CLOUDFRONT_DEFAULT = "*.cloudfront.net";
/** CloudFront only takes certificates from us-east-1. */
const CLOUDFRONT_REGION = "us-east-1";

/** The names a distribution's certificate is valid for; undefined when they cannot be known. */
export function distributionCertificate(view: WiringView, d: DesiredNode): string[] | undefined {
  return d.spec.certificate === undefined
    ? [CLOUDFRONT_DEFAULT]
    : certificateNamesOf(view, d.spec.certificate, CLOUDFRONT_REGION);
}

/** A distribution's aliases, as the public names it serves. */
export function aliasesOf(d: DesiredNode): string[] {
  return Array.isArray(d.spec.aliases)
    ? d.spec.aliases.filter((a): a is string => typeof a === "string")
    : [];
}

export function distributionsOf(view: WiringView): DesiredNode[] {
  return view.ofType(TYPE);
}

/** The certificate covers every alias of its distribution. */
export const aliasesCovered: WiringRule = (view) =>
  distributionsOf(view).flatMap((d) => {
    const certificate = distributionCertificate(view, d);
    if (!certificate || !Array.isArray(d.spec.aliases)) return [];
    return d.spec.aliases.flatMap((alias, i) =>
      typeof alias === "string" && !certificate.some((c) => covers(c, alias))
        ? [notCovered(alias, d.address, certificate, { address: d.address, at: ["aliases", i] })]
        : [],
    );
  });
