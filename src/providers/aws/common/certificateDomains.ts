import type { CertificateFacts } from "./certificates.js";

/**
 * The domain a file can name a certificate by: its first name, when the plan would pick this very
 * certificate for it (the region's newest issued one); otherwise the ARN must stay.
 */
export function domainOfCertificate(
  issued: CertificateFacts,
  arn: string,
  region: string,
): string | undefined {
  for (const [key, value] of Object.entries(issued)) {
    if (value !== arn || !key.startsWith(`${region}|`)) continue;
    return key.slice(region.length + 1);
  }
  return undefined;
}
