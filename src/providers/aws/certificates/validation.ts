import type { ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { EnvironmentInfo, Operation } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { TAG_ADDRESS, TAG_ENVIRONMENT, TAG_PROJECT, TAG_REGION } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { maybeString } from "../common/readers.js";
import type { AwsContext } from "../context.js";
import { normaliseName } from "../dns/canonical.js";
import { OWNER_TTL, ownerName, zoneMarkKey } from "../dns/owners.js";
import { exactRecordSet } from "../dns/records.js";
import { changeRecords, findZone, listRecordSets, markZone, markedZones } from "../dns/zone.js";
import type { Zone } from "../dns/zone.js";

/**
 * A certificate's DNS validation records live in Route53 beside the file's own records. Each one
 * parity wrote has an ownership TXT beside it, like a DNS record's (dns/owners.ts), under another
 * heritage: the dns kind leaves them alone, and they name the certificate (its ARN) they belong
 * to, so deleting the certificate deletes them, even once the file no longer names it.
 */
const HERITAGE = "heritage=parity-certificate";

/**
 * The hosted-zone tag that says this environment keeps validation records in the zone: apart from
 * the dns kind's, so a plan reads the records of only the zones that hold some.
 */
export function validationMarkKey(env: EnvironmentInfo): string {
  return zoneMarkKey(env).replace(/^parity:records:/, "parity:validation-records:");
}

export type ValidationRecord = { name: string; type: string; value: string };

/** A validation record parity wrote, as discovery found it: what a DELETE must repeat exactly. */
export type OwnedRecord = { zoneId: string; record?: ResourceRecordSet; owner: ResourceRecordSet };

function ownerText(env: EnvironmentInfo, address: string, arn: string): string {
  const fields = [
    HERITAGE,
    `parity/environment=${env.environment}`,
    ...(env.project !== undefined ? [`parity/project=${env.project}`] : []),
    `parity/region=${env.region}`,
    `parity/address=${address}`,
    `arn=${arn}`,
  ];
  return `"${fields.join(",")}"`;
}

/** An ownership TXT of ours: the certificate it names, and the ownership tags it records. */
export function parseOwnerText(value: string): { arn: string; tags: TagMap } | undefined {
  const text = value.replace(/^"|"$/g, "");
  if (!text.startsWith(`${HERITAGE},`)) return undefined;
  const fields = new Map(
    text
      .split(",")
      .map((pair): [string, string] => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  const arn = fields.get("arn");
  const environment = fields.get("parity/environment");
  const address = fields.get("parity/address");
  if (!arn || !environment || !address) return undefined;
  const project = fields.get("parity/project");
  const region = fields.get("parity/region");
  return {
    arn,
    tags: {
      [TAG_ENVIRONMENT]: environment,
      [TAG_ADDRESS]: address,
      ...(project !== undefined ? { [TAG_PROJECT]: project } : {}),
      ...(region !== undefined ? { [TAG_REGION]: region } : {}),
    },
  };
}

/** The hosted zone of a name: the longest zone name it ends with, asking Route53 one suffix at a time. */
export async function zoneOf(ctx: AwsContext, name: string): Promise<Zone | undefined> {
  const labels = normaliseName(name).replace(/^\*\./, "").split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    const found = await findZone(ctx, labels.slice(i).join("."));
    if (found) return found;
  }
  return undefined;
}

/**
 * Writes each validation record the zone lacks, with its ownership TXT, in one batch per record.
 * A record already there (written by hand, or by another certificate for the same names: ACM
 * gives them the same record) is used as it is, and never becomes this certificate's to delete.
 */
export async function writeValidationRecords(
  ctx: AwsContext,
  op: Operation,
  arn: string,
  records: ValidationRecord[],
): Promise<void> {
  const unique = [...new Map(records.map((r) => [normaliseName(r.name), r])).values()];
  for (const record of unique) {
    const zone = await zoneOf(ctx, record.name);
    if (!zone) throw new Error(`no Route53 hosted zone holds ${record.name}`);
    const sets = await listRecordSets(ctx, zone.id);
    const have = (name: string, type: string) =>
      sets.some((s) => normaliseName(s.Name ?? "") === normaliseName(name) && s.Type === type);
    if (have(record.name, record.type)) {
      op.progress(`validation record ${normaliseName(record.name)} is already in ${zone.name}`);
      continue;
    }
    op.progress(`writing validation record ${normaliseName(record.name)} into ${zone.name}`);
    // Marked first, so the record is found again once the file no longer names the certificate.
    await markZone(ctx, zone.id, validationMarkKey(op.env));
    await changeRecords(
      ctx,
      zone.id,
      [
        {
          Action: "UPSERT",
          ResourceRecordSet: {
            Name: record.name,
            Type: "CNAME",
            TTL: OWNER_TTL,
            ResourceRecords: [{ Value: record.value }],
          },
        },
        {
          Action: "UPSERT",
          ResourceRecordSet: {
            Name: ownerName(record.name, record.type),
            Type: "TXT",
            TTL: OWNER_TTL,
            ResourceRecords: [{ Value: ownerText(op.env, op.change.address, arn) }],
          },
        },
      ],
      `parity ${op.env.environment}: validation of ${op.change.address}`,
      op,
    );
  }
}

/**
 * The validation records this environment wrote, by certificate ARN, from the zones it marked:
 * one ListHostedZones and tag read (dns/zone.ts), then one ListResourceRecordSets per marked zone.
 */
export async function ownedValidationRecords(
  ctx: AwsContext,
  env: EnvironmentInfo,
): Promise<Map<string, { tags: TagMap; records: OwnedRecord[] }>> {
  const out = new Map<string, { tags: TagMap; records: OwnedRecord[] }>();
  for (const zone of await markedZones(ctx, validationMarkKey(env))) {
    const sets = await listRecordSets(ctx, zone.id);
    for (const owner of sets) {
      const parsed =
        owner.Type === "TXT" ? parseOwnerText(owner.ResourceRecords?.[0]?.Value ?? "") : undefined;
      if (!parsed) continue;
      const name = normaliseName(owner.Name ?? "").replace(/^parity-cname\./, "");
      const record = sets.find((s) => s.Type === "CNAME" && normaliseName(s.Name ?? "") === name);
      const entry = out.get(parsed.arn) ?? { tags: parsed.tags, records: [] };
      entry.records.push({ zoneId: zone.id, ...(record ? { record } : {}), owner });
      out.set(parsed.arn, entry);
    }
  }
  return out;
}

/** Deletes the validation records a certificate owns, each with its ownership TXT. */
export async function deleteValidationRecords(
  ctx: AwsContext,
  op: Operation,
  records: OwnedRecord[],
): Promise<void> {
  for (const owned of records) {
    const sets = [owned.record, owned.owner].filter((s): s is ResourceRecordSet => s !== undefined);
    op.progress(`deleting validation record ${normaliseName(sets[0]?.Name ?? "")}`);
    await changeRecords(
      ctx,
      owned.zoneId,
      sets.map((s) => ({ Action: "DELETE", ResourceRecordSet: exactRecordSet(s) })),
      `parity ${op.env.environment}: delete the validation of ${op.change.address}`,
      op,
    );
  }
}

/** Owned records as plain details, and back: apply's delete reads them from the observed node. */
export function recordsValue(records: OwnedRecord[]): Value {
  return records.map((r) => ({
    zoneId: r.zoneId,
    record: r.record ? setValue(r.record) : null,
    owner: setValue(r.owner),
  }));
}

function setValue(set: ResourceRecordSet): Value {
  return {
    Name: set.Name ?? "",
    Type: set.Type ?? "",
    TTL: set.TTL ?? OWNER_TTL,
    Values: (set.ResourceRecords ?? []).map((r) => r.Value ?? ""),
  };
}

function setOf(value: Value | undefined): ResourceRecordSet | undefined {
  if (!isPlainObject(value)) return undefined;
  const values = Array.isArray(value.Values) ? value.Values : [];
  return {
    Name: maybeString(value.Name),
    Type: maybeString(value.Type) === "TXT" ? "TXT" : "CNAME",
    TTL: typeof value.TTL === "number" ? value.TTL : OWNER_TTL,
    ResourceRecords: values.map((v) => ({ Value: String(v) })),
  };
}

export function recordsOf(value: Value | undefined): OwnedRecord[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    if (!isPlainObject(v)) return [];
    const owner = setOf(v.owner);
    const record = setOf(v.record);
    return owner ? [{ zoneId: String(v.zoneId ?? ""), ...(record ? { record } : {}), owner }] : [];
  });
}
