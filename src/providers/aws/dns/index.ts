import type { Change as RecordChange, ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { Facts, Kind, KindProblem, Operation, Outputs, ResourceType } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { isAwsError } from "../errors.js";
import {
  OWNER_TTL,
  canonicalFromRecordSet,
  desiredRecord,
  exactRecordSet,
  inZone,
  normaliseName,
  ownedKey,
  ownerName,
  ownerValue,
  parseOwner,
  recordAddress,
  recordKey,
  toRecordSet,
} from "./records.js";
import type { Owner, RecordSpec } from "./records.js";
import { dnsSchema } from "./schema.js";
import { changeRecords, findZone, listRecordSets, recordExists } from "./zone.js";

const KEY = "dns";
const TYPE = "records";
/** Facts: zone name → hosted zone id, or null when the zone does not exist. */
const ZONE_FACTS = "dnsZones";

type NodeSpec = { zone: string; record: RecordSpec };
type Details = {
  zoneId: string;
  record: ResourceRecordSet | null;
  owner: ResourceRecordSet | null;
  ownedBy?: string;
};

function nodeSpec(value: { [key: string]: Value }): NodeSpec {
  return value as unknown as NodeSpec;
}

function asDetails(d: Details & { ownedBy?: string }): { [key: string]: Value } {
  return d as unknown as { [key: string]: Value };
}

function details(observed: ObservedNode | undefined): Details | undefined {
  return observed?.details as unknown as Details | undefined;
}

function zoneIdOf(op: Operation): string {
  const fromObserved = details(op.observed)?.zoneId;
  if (fromObserved) return fromObserved;
  const zone = nodeSpec(op.node?.spec ?? {}).zone;
  const id = (op.facts[ZONE_FACTS] as { [name: string]: string | null } | undefined)?.[zone];
  if (!id) throw new Error(`hosted zone ${zone} not found`);
  return id;
}

/** UPSERT the record and its ownership TXT in one atomic batch: create, update and adopt alike. */
async function upsert(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const desired = op.desired ?? {};
  const found = details(op.observed);
  // Keep the live spelling of an existing name: Route53 is case-insensitive, emulators are not.
  const name = found?.record?.Name ?? String(desired.name);
  const owner: ResourceRecordSet = {
    Name: found?.owner?.Name ?? ownerName(String(desired.name), String(desired.type)),
    Type: "TXT",
    TTL: OWNER_TTL,
    ResourceRecords: [{ Value: ownerValue(op.env.environment, op.change.address) }],
  };
  await changeRecords(
    ctx,
    zoneIdOf(op),
    [
      { Action: "UPSERT", ResourceRecordSet: toRecordSet(desired, name) },
      { Action: "UPSERT", ResourceRecordSet: owner },
    ],
    `parity ${op.env.environment}: ${op.change.action} ${op.change.address}`,
    op,
  );
  return { name: String(desired.name), type: String(desired.type) };
}

export const recordType: ResourceType<AwsContext> = {
  type: TYPE,
  replaceOn: [],
  expectedSeconds: { create: 60, update: 60, delete: 60 },

  risks(change) {
    return change.action === "delete" ? ["downtime"] : [];
  },

  async lookup(ctx, nodes): Promise<Facts> {
    const names = [...new Set(nodes.map((n) => nodeSpec(n.spec).zone))];
    const found: { [name: string]: string | null } = {};
    for (const name of names) found[name] = (await findZone(ctx, name))?.id ?? null;
    return { [ZONE_FACTS]: found };
  },

  desired(node, resolver, observed) {
    const { zone, record } = nodeSpec(node.spec);
    const { attributes, errors } = desiredRecord(record, resolver, observed);
    const zones = resolver.facts[ZONE_FACTS] as { [name: string]: string | null } | undefined;
    if (!zones?.[zone]) {
      errors.push({
        message: `hosted zone ${zone} not found`,
        hint: "create the zone in Route53 first, or fix dns.zone",
      });
    }
    const ownedBy = details(observed)?.ownedBy;
    if (ownedBy) {
      errors.push({
        message: `${recordKey(record.name, record.type)} belongs to parity environment ${ownedBy}`,
        hint: "remove it from that environment's file first, or from this one",
      });
    }
    return { attributes, ...(errors.length > 0 ? { errors } : {}) };
  },

  /**
   * One paginated ListResourceRecordSets of the zone. Records cannot be tagged, so ownership is
   * a TXT record beside each one (as external-dns does): ours are managed; an unowned record
   * the file lists is adopted; anything else in the zone is left alone.
   */
  async observe(ctx, nodes, env) {
    // The zone comes from the file: with no records listed there is no zone to look in.
    const zoneName = nodes[0] ? nodeSpec(nodes[0].spec).zone : undefined;
    const zone = zoneName ? await findZone(ctx, zoneName) : undefined;
    if (!zone) return [];
    const sets = await listRecordSets(ctx, zone.id);
    const wanted = new Set(nodes.map((n) => n.address));

    const owners = new Map<string, { owner: Owner; set: ResourceRecordSet }>();
    for (const set of sets) {
      const key = set.Type === "TXT" ? ownedKey(set.Name ?? "") : undefined;
      const owner = key ? parseOwner(set.ResourceRecords?.[0]?.Value ?? "") : undefined;
      if (key && owner) owners.set(key, { owner, set });
    }
    const ownerSets = new Set([...owners.values()].map((o) => o.set));

    const observed: ObservedNode[] = [];
    const seen = new Set<string>();
    for (const set of sets) {
      // Weighted, latency and failover sets share a name and type; parity does not manage them.
      if (ownerSets.has(set) || set.SetIdentifier !== undefined) continue;
      const key = recordKey(set.Name ?? "", set.Type ?? "");
      const address = recordAddress(set.Name ?? "", set.Type ?? "");
      const found = owners.get(key);
      const base = {
        type: TYPE,
        group: KEY,
        id: key,
        attributes: canonicalFromRecordSet(set),
        outputs: { name: normaliseName(set.Name ?? ""), type: set.Type ?? "" },
      };
      const info: Details = { zoneId: zone.id, record: set, owner: found?.set ?? null };
      if (found?.owner.environment === env.environment) {
        seen.add(key);
        observed.push({ ...base, address: found.owner.address, managed: true, details: asDetails(info) });
      } else if (wanted.has(address)) {
        const claimed = found ? { ownedBy: found.owner.environment } : {};
        observed.push({ ...base, address, managed: false, details: asDetails({ ...info, ...claimed }) });
      }
    }
    // An ownership record whose record was removed by hand: delete it once the file drops it too.
    for (const [key, { owner, set }] of owners) {
      if (owner.environment !== env.environment || seen.has(key) || wanted.has(owner.address)) continue;
      const [name, type] = key.split("/") as [string, string];
      observed.push({
        type: TYPE,
        group: KEY,
        address: owner.address,
        id: key,
        managed: true,
        attributes: { name, type },
        outputs: { name, type },
        details: asDetails({ zoneId: zone.id, record: null, owner: set }),
      });
    }
    return observed;
  },

  create: upsert,
  update: upsert,
  adopt: upsert,

  /** DELETE needs the exact current record set (from observation) plus its ownership TXT. */
  async delete(ctx, op) {
    const found = details(op.observed);
    if (!found) return;
    const sets = [found.record, found.owner]
      .filter((s): s is ResourceRecordSet => s !== null)
      .map(exactRecordSet);
    const batch = (list: ResourceRecordSet[]): RecordChange[] =>
      list.map((s) => ({ Action: "DELETE", ResourceRecordSet: s }));
    const comment = `parity ${op.env.environment}: delete ${op.change.address}`;
    try {
      await changeRecords(ctx, found.zoneId, batch(sets), comment, op);
    } catch (error) {
      // Already (partly) gone after an interrupted run: delete whatever is left.
      if (!isAwsError(error, "InvalidChangeBatch", "InvalidInput")) throw error;
      const left: ResourceRecordSet[] = [];
      for (const s of sets) if (await recordExists(ctx, found.zoneId, s)) left.push(s);
      if (left.length === sets.length) throw error;
      if (left.length > 0) await changeRecords(ctx, found.zoneId, batch(left), comment, op);
    }
  },
};

/** What the schema cannot say: names inside the zone, one entry per name and type, alias rules. */
function check(_address: string, value: { [key: string]: Value }): KindProblem[] {
  const zone = String(value.zone ?? "");
  const records = (Array.isArray(value.records) ? value.records : []) as unknown as RecordSpec[];
  const problems: KindProblem[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const key = recordKey(r.name, r.type);
    if (!inZone(r.name, zone)) {
      problems.push({
        path: ["records", i, "name"],
        message: `${r.name} is not inside the zone ${zone}`,
        hint: `write the full name, e.g. app.${normaliseName(zone)}`,
      });
    }
    if (seen.has(key)) problems.push({ path: ["records", i], message: `duplicate record ${key}` });
    seen.add(key);
    if (r.alias !== undefined && !["A", "AAAA"].includes(r.type)) {
      problems.push({ path: ["records", i, "type"], message: "an alias record must be of type A or AAAA" });
    }
    if (r.alias !== undefined && r.ttl !== undefined) {
      problems.push({
        path: ["records", i, "ttl"],
        message: "an alias record has no ttl (the target's applies)",
      });
    }
    if (r.type === "CNAME" && normaliseName(r.name) === normaliseName(zone)) {
      problems.push({
        path: ["records", i, "type"],
        message: "a CNAME cannot be at the zone apex",
        hint: "use an A alias record",
      });
    }
    if (r.type === "CNAME" && (r.values?.length ?? 0) > 1) {
      problems.push({ path: ["records", i, "values"], message: "a CNAME has exactly one value" });
    }
  });
  return problems;
}

export const dns: Kind<AwsContext> = {
  key: KEY,
  shape: "single",
  schema: dnsSchema,
  outputs: [],
  expand(address, spec) {
    const zone = normaliseName(String(spec.zone));
    const records = (Array.isArray(spec.records) ? spec.records : []) as unknown as RecordSpec[];
    return records.map((record) => ({
      address: recordAddress(record.name, record.type),
      type: TYPE,
      group: address,
      spec: { zone, record } as unknown as { [key: string]: Value },
    }));
  },
  types: [recordType],
  check,
};
