import { paginateListHostedZones } from "@aws-sdk/client-route-53";
import type { ExportItem, ExportedEntry, Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { itemOf } from "../common/exporting.js";
import type { AwsContext } from "../context.js";
import { DEFAULT_TTL, normaliseName, recordKey } from "./canonical.js";
import { ownedKey, ownerTags, parseOwner } from "./owners.js";
import { canonicalFromRecordSet } from "./records.js";
import { listRecordSets } from "./zone.js";

/** Route53 keeps these itself at a zone's apex: nobody writes them in a file. */
const APEX_TYPES = ["NS", "SOA"];

/** Records of every public hosted zone (Route53 is global), with what their ownership records say. */
export const dnsExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const zones: { id: string; name: string }[] = [];
    for await (const page of paginateListHostedZones({ client: ctx.route53 }, {}))
      for (const z of page.HostedZones ?? [])
        if (z.Id && !z.Config?.PrivateZone)
          zones.push({ id: z.Id.replace(/^\/hostedzone\//, ""), name: normaliseName(z.Name ?? "") });
    const perZone = await Promise.all(
      zones.map(async (zone) => {
        const sets = await listRecordSets(ctx, zone.id);
        const owners = new Map<string, ReturnType<typeof parseOwner>>();
        for (const set of sets) {
          const key = set.Type === "TXT" ? ownedKey(set.Name ?? "") : undefined;
          if (key) owners.set(key, parseOwner(set.ResourceRecords?.[0]?.Value ?? ""));
        }
        return sets.flatMap((set): ExportItem[] => {
          const name = normaliseName(set.Name ?? "");
          if (set.Type === "TXT" && ownedKey(name)) return [];
          if (name === zone.name && APEX_TYPES.includes(set.Type ?? "")) return [];
          const key = recordKey(name, set.Type ?? "");
          const node = {
            id: key,
            attributes: canonicalFromRecordSet(set),
            outputs: { name },
            details: { zone: zone.name, routing: set.SetIdentifier !== undefined },
          };
          return [itemOf(node, name, ownerTags(owners.get(key)), env, { entry: key })];
        });
      }),
    );
    return perZone.flat();
  },
  entry([item], { refs }): ExportedEntry {
    const a = item!.attributes;
    const zone = String(item!.details?.zone ?? "");
    if (item!.details?.routing === true)
      return { spec: {}, omitted: [`${item!.id} is a weighted, latency or failover record`], drop: true };
    const record: { [key: string]: Value } = { name: a.name ?? "", type: a.type ?? "" };
    if (isPlainObject(a.alias)) {
      const target = String(a.alias.dnsName ?? "");
      const to = refs.to(target);
      record.alias = to ?? {
        dnsName: target,
        hostedZoneId: a.alias.hostedZoneId ?? "",
        evaluateTargetHealth: a.alias.evaluateTargetHealth ?? false,
      };
    } else {
      record.values = Array.isArray(a.values) ? a.values.map((v) => refs.interpolate(String(v))) : [];
      if (a.ttl !== DEFAULT_TTL) record.ttl = a.ttl ?? DEFAULT_TTL;
    }
    return { spec: { zone, records: [record] } };
  },
};
