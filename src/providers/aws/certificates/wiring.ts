import type { WiringView } from "../../../engine/wiring.js";
import type { Value } from "../../../model/index.js";
import { isCertificateReference } from "../common/certificates.js";
import { namesOf } from "./desired.js";
import { certificateSpec } from "./schema.js";

/**
 * The names a `certificate:` value covers, for rules about what a listener or a distribution
 * serves: a reference reads them from the certificate's entry, which holds all of them; anything
 * else is looked up as discovery found it.
 */
export function certificateNamesOf(
  view: WiringView,
  certificate: Value | undefined,
  region: string,
): string[] | undefined {
  if (!isCertificateReference(certificate)) return view.certificateNames(certificate, region);
  const [node] = view.referenced(certificate);
  return node ? namesOf(certificateSpec(node)) : undefined;
}
