import { paginateListCertificates } from "@aws-sdk/client-acm";
import { certificateKey } from "./common/certificates.js";
import type { CertificateFacts } from "./common/certificates.js";
import type { AwsContext } from "./context.js";

// The pure half lives in common/certificates.ts, so desired-state code can read facts without the SDK.
export { certificateKey, missingCertificateMessage } from "./common/certificates.js";
export type { CertificateFacts } from "./common/certificates.js";

/**
 * Issued ACM certificates of a region by domain name (including subject alternative names),
 * from one paginated listing. A domain maps to the newest issued certificate's ARN.
 */
export async function issuedCertificates(ctx: AwsContext, region: string): Promise<CertificateFacts> {
  const out: CertificateFacts = {};
  const found: { arn: string; names: string[]; issuedAt: number }[] = [];
  for await (const page of paginateListCertificates(
    { client: ctx.acm(region) },
    {
      CertificateStatuses: ["ISSUED"],
      Includes: {
        keyTypes: [
          "RSA_1024",
          "RSA_2048",
          "RSA_3072",
          "RSA_4096",
          "EC_prime256v1",
          "EC_secp384r1",
          "EC_secp521r1",
        ],
      },
    },
  )) {
    for (const summary of page.CertificateSummaryList ?? []) {
      if (!summary.CertificateArn) continue;
      const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])].filter(
        (n): n is string => !!n,
      );
      found.push({
        arn: summary.CertificateArn,
        names,
        issuedAt: summary.IssuedAt?.getTime() ?? summary.CreatedAt?.getTime() ?? 0,
      });
    }
  }
  found.sort((a, b) => a.issuedAt - b.issuedAt);
  for (const cert of found) for (const name of cert.names) out[certificateKey(name, region)] = cert.arn;
  return out;
}
