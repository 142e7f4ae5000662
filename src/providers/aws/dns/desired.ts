import type { Facts, Resolver, ResourceType } from "../../../engine/types.js";
import type { Attrs, ObservedNode, Value } from "../../../model/index.js";
import { unknown } from "../../../model/index.js";
import { objectOf } from "../common/readers.js";
import { inferAliasHostedZone } from "./aliasZones.js";
import { DEFAULT_TTL, normaliseName, normaliseValues } from "./canonical.js";
import { recordNodeSpec } from "./schema.js";
import type { AliasSpec, RecordSpec } from "./schema.js";

/** Facts: zone name → hosted zone id, or null when the zone does not exist. */
export const ZONE_FACTS = "dnsZones";

/** The hosted zone id a lookup found for a zone name. */
export function zoneIdFromFacts(facts: Facts, zone: string): string | undefined {
  const id = objectOf(facts[ZONE_FACTS])[zone];
  return typeof id === "string" && id !== "" ? id : undefined;
}

export type DesiredRecord = { attributes: Attrs; errors: { message: string; hint?: string }[] };

function aliasTarget(spec: AliasSpec | string, resolver: Resolver): { target: Attrs; error?: string } {
  if (typeof spec === "string") {
    // A reference (distributions.site, loadBalancers.web): both values come from its outputs.
    const dnsName = resolver.output(spec, "dnsName");
    return {
      target: {
        dnsName: typeof dnsName === "string" ? normaliseName(dnsName) : dnsName,
        hostedZoneId: resolver.output(spec, "hostedZoneId"),
        evaluateTargetHealth: false,
      },
    };
  }
  const raw: Value = spec.dnsName.includes("${") ? resolver.interpolate(spec.dnsName) : spec.dnsName;
  const dnsName = typeof raw === "string" ? normaliseName(raw) : raw;
  let hostedZoneId: Value | undefined = spec.hostedZoneId;
  if (hostedZoneId === undefined) {
    hostedZoneId =
      typeof dnsName === "string" ? inferAliasHostedZone(dnsName) : unknown(`hosted zone of ${spec.dnsName}`);
  }
  const target: Attrs = {
    dnsName,
    hostedZoneId: hostedZoneId ?? "",
    evaluateTargetHealth: spec.evaluateTargetHealth ?? false,
  };
  if (hostedZoneId === undefined) {
    return { target, error: `cannot tell the hosted zone of alias target ${String(dnsName)}` };
  }
  return { target };
}

/** Values with `${kind.name.attribute}` filled in; one still unknown keeps the whole list unknown. */
function recordValues(spec: RecordSpec, resolver: Resolver): Value {
  const values = (spec.values ?? []).map((v) => (v.includes("${") ? resolver.interpolate(v) : v));
  const known = values.filter((v): v is string => typeof v === "string");
  if (known.length < values.length) return unknown(`values of ${spec.name}`);
  return normaliseValues(spec.type, known);
}

/**
 * The file's record in canonical form. When the live record has the other form (alias vs
 * values), the keys it has and the file does not are set to null so the switch shows.
 */
export function desiredRecord(spec: RecordSpec, resolver: Resolver, observed?: ObservedNode): DesiredRecord {
  const errors: DesiredRecord["errors"] = [];
  const attributes: Attrs = { name: normaliseName(spec.name), type: spec.type.toUpperCase() };
  if (spec.alias !== undefined) {
    const { target, error } = aliasTarget(spec.alias, resolver);
    attributes.alias = target;
    if (error) errors.push({ message: error, hint: "set alias.hostedZoneId" });
  } else {
    attributes.values = recordValues(spec, resolver);
    attributes.ttl = spec.ttl ?? DEFAULT_TTL;
  }
  for (const key of ["alias", "values", "ttl"]) {
    if (observed?.attributes[key] !== undefined && !(key in attributes)) attributes[key] = null;
  }
  return { attributes, errors };
}

/** A node's record; its zone must exist, as parity manages records, never zones. */
export const desiredState: ResourceType<unknown>["desired"] = (node, resolver, observed) => {
  const { zone, record } = recordNodeSpec(node);
  const { attributes, errors } = desiredRecord(record, resolver, observed);
  if (!zoneIdFromFacts(resolver.facts, zone)) {
    errors.push({
      message: `hosted zone ${zone} not found`,
      hint: "create the zone in Route53 first, or fix dns.zone",
    });
  }
  return { attributes, ...(errors.length > 0 ? { errors } : {}) };
};
