import { paginateListCertificates } from "@aws-sdk/client-acm";
import type { CertificateStatus, CertificateSummary } from "@aws-sdk/client-acm";
import { certificateKey } from "../common/certificates.js";
import type { CertificateFacts } from "../common/certificates.js";
import type { AwsContext } from "../context.js";

/** Without `keyTypes`, ListCertificates leaves out every certificate that is not RSA 1024 or 2048. */
const EVERY_KEY_TYPE = [
  "RSA_1024",
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "EC_prime256v1",
  "EC_secp384r1",
  "EC_secp521r1",
] as const;

/** A region's certificates of any key type, from one paginated ListCertificates. */
export async function listCertificates(
  ctx: AwsContext,
  region: string,
  statuses?: CertificateStatus[],
): Promise<CertificateSummary[]> {
  const out: CertificateSummary[] = [];
  for await (const page of paginateListCertificates(
    { client: ctx.acm(region) },
    { ...(statuses ? { CertificateStatuses: statuses } : {}), Includes: { keyTypes: [...EVERY_KEY_TYPE] } },
  ))
    out.push(...(page.CertificateSummaryList ?? []));
  return out;
}

/**
 * Issued ACM certificates of a region by domain name (including subject alternative names),
 * from one paginated listing: what `certificate: { domain }` resolves to. A domain maps to the
 * newest issued certificate's ARN.
 */
export async function issuedCertificates(ctx: AwsContext, region: string): Promise<CertificateFacts> {
  const out: CertificateFacts = {};
  const found = (await listCertificates(ctx, region, ["ISSUED"])).flatMap((summary) => {
    if (!summary.CertificateArn) return [];
    const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])].filter(
      (n): n is string => !!n,
    );
    const issuedAt = summary.IssuedAt?.getTime() ?? summary.CreatedAt?.getTime() ?? 0;
    return [{ arn: summary.CertificateArn, names, issuedAt }];
  });
  found.sort((a, b) => a.issuedAt - b.issuedAt);
  for (const cert of found) for (const name of cert.names) out[certificateKey(name, region)] = cert.arn;
  return out;
}
