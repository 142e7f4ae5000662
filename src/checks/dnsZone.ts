import { MAX_CNAME_HOPS, address, hostName, isAddress, trail, txtText } from "./dnsNames.js";
import type { Attempt, ZoneRecord, ZoneRecords } from "./types.js";

type Found = { chain: string[]; values: string[]; alias?: string };

/** Follows the zone's own records from `name`: CNAMEs inside the zone, then the record of `type`. */
function follow(records: ZoneRecord[], name: string, type: string): Found {
  const chain: string[] = [];
  let current = hostName(name);
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const at = records.filter((r) => r.name === current);
    const wanted = at.filter((r) => r.type === type);
    if (wanted.length) {
      const alias = wanted.find((r) => r.aliasTarget)?.aliasTarget;
      const values = wanted.flatMap((r) => r.values);
      return { chain, values: type === "CNAME" ? values.map(hostName) : values, ...(alias ? { alias } : {}) };
    }
    const cname = at.find((r) => r.type === "CNAME");
    const next = cname?.values[0] ?? cname?.aliasTarget;
    if (!next) break;
    current = hostName(next);
    chain.push(current);
  }
  return { chain, values: [] };
}

/** Whether what the zone says meets `expect`, the way a resolver's answer would. */
function meets(found: Found, type: string, expect: string): boolean {
  if (type === "TXT") return found.values.some((v) => txtText(v) === txtText(expect));
  if (isAddress(expect)) return found.values.some((v) => address(v) === address(expect));
  const host = hostName(expect);
  // An ALB alias may be stored with the dualstack. prefix Route53 answers with.
  const aliases = found.alias ? [found.alias, found.alias.replace(/^dualstack\./, "")] : [];
  return [...found.chain, ...aliases, ...found.values.map(hostName)].includes(host);
}

/**
 * A dns check answered from a hosted zone's records (an emulator's zones are served by no
 * resolver): an alias target or a record's values compared with `expect`, without case or
 * trailing dots.
 */
export function judgeInZone(zone: ZoneRecords, name: string, type: string, expect: string): Attempt {
  const found = follow(zone.records, name, type);
  const values = found.alias ? [`alias ${found.alias}`] : found.values;
  const saw = `Route53 zone ${zone.zone}: ${trail(hostName(name), found.chain, type, values)}`;
  if (meets(found, type, expect)) return { ok: true, detail: saw };
  return { ok: false, detail: `${saw}, expected ${expect}` };
}
