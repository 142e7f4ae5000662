import type { ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { ZoneRecord, ZoneRecords } from "../../checks/types.js";
import type { AwsContext } from "./context.js";
import { normaliseName } from "./dns/canonical.js";
import { listRecordSets, lookupZone } from "./dns/zone.js";

function zoneRecord(set: ResourceRecordSet): ZoneRecord {
  const alias = set.AliasTarget?.DNSName;
  return {
    name: normaliseName(set.Name ?? ""),
    type: String(set.Type ?? ""),
    values: (set.ResourceRecords ?? []).map((r) => r.Value ?? ""),
    ...(alias ? { aliasTarget: normaliseName(alias) } : {}),
  };
}

/**
 * The records of the hosted zone that holds `name`: the most specific zone among its suffixes
 * (app.example.com, then example.com, …), one ListHostedZonesByName each until one is found,
 * then one paginated ListResourceRecordSets. What a dns check reads when parity is pointed at
 * an emulator, whose zones no resolver on the internet serves. Nothing is cached: a check
 * retries to see change.
 */
export async function zoneRecordsFor(ctx: AwsContext, name: string): Promise<ZoneRecords | undefined> {
  const labels = normaliseName(name).split(".");
  for (let i = 0; i < labels.length; i++) {
    const zone = await lookupZone(ctx, labels.slice(i).join("."));
    if (zone) return { zone: zone.name, records: (await listRecordSets(ctx, zone.id)).map(zoneRecord) };
  }
  return undefined;
}
