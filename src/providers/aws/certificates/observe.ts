import { DescribeCertificateCommand, ListTagsForCertificateCommand } from "@aws-sdk/client-acm";
import type { CertificateDetail } from "@aws-sdk/client-acm";
import type { EnvironmentInfo, Facts } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import { fromAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import {
  DEAD_STATUSES,
  VALIDATION_ZONES,
  alternativeNames,
  certificateIdentity,
  namesOf,
  nodeIdentity,
  normaliseDomain,
  regionOf,
} from "./desired.js";
import { listCertificates } from "./issued.js";
import { TYPE, certificateSpec } from "./schema.js";
import { ownedValidationRecords, recordsValue, zoneOf } from "./validation.js";
import type { OwnedRecord } from "./validation.js";

/** A certificate ARN names its region: `arn:aws:acm:us-east-1:…`. */
export function arnRegion(arn: string): string {
  return arn.split(":")[3] ?? "";
}

export async function describeCertificate(
  ctx: AwsContext,
  arn: string,
): Promise<CertificateDetail | undefined> {
  const found = await tolerate(
    () => ctx.acm(arnRegion(arn)).send(new DescribeCertificateCommand({ CertificateArn: arn })),
    "ResourceNotFoundException",
  );
  return found?.Certificate;
}

export async function certificateTags(ctx: AwsContext, arn: string): Promise<TagMap> {
  const found = await ctx
    .acm(arnRegion(arn))
    .send(new ListTagsForCertificateCommand({ CertificateArn: arn }));
  return fromAwsTags(found.Tags);
}

/** `arn`, `domain` and `region`, which listeners and distributions read through `certificates.x`. */
export function certificateOutputs(detail: CertificateDetail): { [key: string]: Value } {
  const arn = detail.CertificateArn ?? "";
  return { arn, domain: normaliseDomain(detail.DomainName ?? ""), region: arnRegion(arn) };
}

type Found = { detail: CertificateDetail; tags: TagMap; records: OwnedRecord[] };

function observedCertificate(
  found: Found,
  owner: ReturnType<typeof claim<Found>>[number]["claim"],
): ObservedNode {
  const { detail } = found;
  const arn = detail.CertificateArn ?? "";
  const status = String(detail.Status ?? "");
  return {
    type: TYPE,
    ...claimed(owner),
    id: arn,
    attributes: {
      domain: normaliseDomain(detail.DomainName ?? ""),
      subjectAlternativeNames: alternativeNames(
        detail.DomainName ?? "",
        detail.SubjectAlternativeNames ?? [],
      ),
      region: arnRegion(arn),
      status,
      usable: !DEAD_STATUSES.includes(status),
      tags: found.tags,
    },
    outputs: certificateOutputs(detail),
    details: { inUseBy: detail.InUseBy ?? [], validationRecords: recordsValue(found.records) },
  };
}

/**
 * One paginated ListCertificates per region the file's certificates (or ours it dropped) live in.
 * The listing holds neither tags nor all names, so a DescribeCertificate and a tag read follow
 * for the candidates only: a certificate for one of the file's domains, or one whose validation
 * records this environment wrote (found in the zones it marked, see validation.ts) — how a
 * certificate the file no longer names is still found, to be deleted.
 */
export async function observeCertificates(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const owned = await ownedValidationRecords(ctx, env);
  const domains = new Set(nodes.map((n) => normaliseDomain(certificateSpec(n).domain)));
  const regions = new Set([
    ...nodes.map((n) => regionOf(certificateSpec(n), env)),
    ...[...owned.keys()].map(arnRegion),
  ]);
  if (regions.size === 0) return [];
  const listed = (await Promise.all([...regions].map((r) => listCertificates(ctx, r)))).flat();
  const candidates = listed.filter(
    (s) =>
      s.CertificateArn && (domains.has(normaliseDomain(s.DomainName ?? "")) || owned.has(s.CertificateArn)),
  );
  const found = (
    await Promise.all(
      candidates.map(async (s): Promise<Found | undefined> => {
        const arn = s.CertificateArn ?? "";
        const [detail, tags] = await Promise.all([describeCertificate(ctx, arn), certificateTags(ctx, arn)]);
        return detail ? { detail, tags, records: owned.get(arn)?.records ?? [] } : undefined;
      }),
    )
  ).filter((f): f is Found => f !== undefined);
  // The newest issued first: where several match the file, that is the one to adopt.
  found.sort((a, b) => (b.detail.IssuedAt?.getTime() ?? 0) - (a.detail.IssuedAt?.getTime() ?? 0));
  return claim(found, {
    tagsOf: (f) => f.tags,
    // Only an issued certificate is adopted: a pending one nobody validates would never be.
    keyOf: (f) =>
      f.detail.Status === "ISSUED"
        ? certificateIdentity(
            arnRegion(f.detail.CertificateArn ?? ""),
            f.detail.DomainName ?? "",
            f.detail.SubjectAlternativeNames ?? [],
          )
        : undefined,
    labelOf: (f) => `certificate ${f.detail.CertificateArn ?? ""} for ${f.detail.DomainName ?? ""}`,
    wanted: wantedBy(nodes, (n) => nodeIdentity(n, env)),
    env,
  }).map(({ item, claim: owner }) => observedCertificate(item, owner));
}

/** The hosted zones the file's certificates are validated in, by zone name. */
export async function lookupValidationZones(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  if (nodes.length === 0) return {};
  const names = [...new Set(nodes.flatMap((n) => namesOf(certificateSpec(n))))];
  const zones: { [name: string]: Value } = {};
  for (const name of names) {
    const zone = await zoneOf(ctx, name);
    if (zone) zones[zone.name] = zone.id;
  }
  return { [VALIDATION_ZONES]: zones };
}
