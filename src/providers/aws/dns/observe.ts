import type { ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { EnvironmentInfo, Facts } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import type { AwsContext } from "../context.js";
import { recordKey } from "./canonical.js";
import { ZONE_FACTS } from "./desired.js";
import { ownedKey, ownerTags, parseOwner, zoneMarkKey } from "./owners.js";
import type { Owner } from "./owners.js";
import { canonicalFromRecordSet, detailsValue } from "./records.js";
import { TYPE, recordNodeSpec } from "./schema.js";
import { findZone, listRecordSets, markedZones } from "./zone.js";
import type { Zone } from "./zone.js";

/**
 * One record of the zone (by name and type) with the ownership record beside it; `record` is
 * absent when only the ownership record is left (the record was deleted by hand).
 */
type Entry = { key: string; record?: ResourceRecordSet; ownership?: Ownership };
type Ownership = { owner: Owner; set: ResourceRecordSet };

/** The zone's records paired with their ownership records. */
function entries(sets: ResourceRecordSet[], fileAddresses: Set<string>): Entry[] {
  const owners = new Map<string, Ownership>();
  for (const set of sets) {
    const key = set.Type === "TXT" ? ownedKey(set.Name ?? "") : undefined;
    const owner = key ? parseOwner(set.ResourceRecords?.[0]?.Value ?? "") : undefined;
    if (key && owner) owners.set(key, { owner, set });
  }
  const ownerSets = new Set([...owners.values()].map((o) => o.set));
  const out: Entry[] = [];
  const paired = new Set<string>();
  for (const set of sets) {
    // Weighted, latency and failover sets share a name and type; parity does not manage them.
    if (ownerSets.has(set) || set.SetIdentifier !== undefined) continue;
    const key = recordKey(set.Name ?? "", set.Type ?? "");
    paired.add(key);
    const ownership = owners.get(key);
    out.push({ key, record: set, ...(ownership ? { ownership } : {}) });
  }
  // An ownership record without its record: deleted once the file no longer lists the record
  // (while it does, the record is simply created again, ownership record and all).
  for (const [key, ownership] of owners) {
    if (!paired.has(key) && !fileAddresses.has(ownership.owner.address)) out.push({ key, ownership });
  }
  return out;
}

/** The name and type a key stands for: `app.example.com/A`. */
function keyAttributes(key: string): { name: string; type: string } {
  const at = key.lastIndexOf("/");
  return { name: key.slice(0, at), type: key.slice(at + 1) };
}

function observedRecord(entry: Entry, owner: Claim, zone: Zone): ObservedNode {
  // A lone ownership record shows as the record it vouches for, so the plan can delete it.
  const attributes = entry.record ? canonicalFromRecordSet(entry.record) : keyAttributes(entry.key);
  return {
    type: TYPE,
    group: TYPE,
    ...claimed(owner),
    id: entry.key,
    attributes,
    outputs: { name: attributes.name ?? "", type: attributes.type ?? "" },
    details: detailsValue({ zoneId: zone.id, record: entry.record, owner: entry.ownership?.set }),
  };
}

/** A zone's records as the plan sees them; `file` is set for the zone the file names. */
async function observeZone(
  ctx: AwsContext,
  zone: Zone,
  file: DesiredNode[] | undefined,
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const sets = await listRecordSets(ctx, zone.id);
  const fileAddresses = new Set((file ?? []).map((n) => n.address));
  const all = entries(sets, fileAddresses);
  return claim(all, {
    tagsOf: (e) => ownerTags(e.ownership?.owner),
    // Only a record can be named by the file; a lone ownership record is claimed only if ours.
    keyOf: (e) => (e.record ? e.key : undefined),
    labelOf: (e) => e.key,
    wanted: wantedBy(file ?? [], (n) => {
      const { record } = recordNodeSpec(n);
      return recordKey(record.name, record.type);
    }),
    env,
  }).map(({ item, claim: owner }) => observedRecord(item, owner, zone));
}

/**
 * One paginated ListResourceRecordSets per zone. Records cannot be tagged, so ownership is
 * the TXT record beside each one (as external-dns does), read as tags and claimed like any
 * other kind's resources: ours are managed; an unowned record the file lists is adopted; another
 * environment's that the file lists is refused; anything else in the zone is left alone.
 * The zones read are the file's and every zone this environment marked when it wrote a record
 * there, so records the file dropped — with their zone, or the whole `dns:` block — are deleted.
 */
export async function observeRecords(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const zoneName = nodes[0] ? recordNodeSpec(nodes[0]).zone : undefined;
  const found = zoneName ? findZone(ctx, zoneName) : Promise.resolve(undefined);
  // The file's zone is read as soon as it is found, not once every marked zone is listed too;
  // awaited with the rest, so a failure of either is reported once and never left unheard.
  const readFileZone = found.then((zone) => (zone ? observeZone(ctx, zone, nodes, env) : []));
  const [fileZone, marked, inFile] = await Promise.all([
    found,
    markedZones(ctx, zoneMarkKey(env)),
    readFileZone,
  ]);
  const others = marked.filter((z) => z.id !== fileZone?.id);
  const elsewhere = await Promise.all(others.map((zone) => observeZone(ctx, zone, undefined, env)));
  const fileAddresses = new Set(nodes.map((n) => n.address));
  // The same name in a zone the file left is another record: deleted there, created here.
  const moved = elsewhere.flatMap((list, i) =>
    list.map((o) =>
      o.address && fileAddresses.has(o.address) ? { ...o, address: `${o.address} in ${others[i]?.name}` } : o,
    ),
  );
  return [...inFile, ...moved];
}

/** The hosted zone of every zone the file names (one, today), so desired state can tell a missing one. */
export async function lookupZones(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const names = [...new Set(nodes.map((n) => recordNodeSpec(n).zone))];
  const found: { [name: string]: string | null } = {};
  for (const name of names) found[name] = (await findZone(ctx, name))?.id ?? null;
  return { [ZONE_FACTS]: found };
}
