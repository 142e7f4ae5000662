import type { ResourceRecordSet, RRType } from "@aws-sdk/client-route-53";
import type { Resolver } from "../../../engine/types.js";
import type { Attrs, ObservedNode, Value } from "../../../model/index.js";
import { isUnknown, unknown } from "../../../model/index.js";
import { inferAliasHostedZone } from "./aliasZones.js";

/**
 * Pure record handling: canonical names and values, the file's record and Route53's answer in
 * one comparable shape, and the external-dns-style ownership TXT record.
 */

export type AliasSpec = { dnsName: string; hostedZoneId?: string; evaluateTargetHealth?: boolean };
export type RecordSpec = {
  name: string;
  type: string;
  alias?: string | AliasSpec;
  values?: string[];
  ttl?: number;
};

export const DEFAULT_TTL = 300;
export const OWNER_TTL = 300;
const OWNER_PREFIX = "parity-";

/**
 * Route53 names are case-insensitive, end in a dot, and come back with special characters
 * escaped as `\ddd` (a wildcard reads `\052`): all of that is spelling, not a difference.
 */
export function normaliseName(name: string): string {
  return name
    .trim()
    .replace(/\\(\d{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .toLowerCase()
    .replace(/\.$/, "");
}

export function recordKey(name: string, type: string): string {
  return `${normaliseName(name)}/${type.toUpperCase()}`;
}

export function recordAddress(name: string, type: string): string {
  return `dns.records[${recordKey(name, type)}]`;
}

/** True when `name` is the zone itself or a name inside it. */
export function inZone(name: string, zone: string): boolean {
  const n = normaliseName(name);
  const z = normaliseName(zone);
  return n === z || n.endsWith(`.${z}`);
}

/**
 * The ownership record's name, beside the record it vouches for (external-dns does the same).
 * A different name from the record itself, so it can sit next to a CNAME.
 */
export function ownerName(name: string, type: string): string {
  return `${OWNER_PREFIX}${type.toLowerCase()}.${normaliseName(name)}`;
}

/** The record an ownership TXT name vouches for: `parity-a.app.example.com` → app.example.com/A. */
export function ownedKey(txtName: string): string | undefined {
  const match = /^parity-([a-z0-9]+)\.(.+)$/.exec(normaliseName(txtName));
  return match ? recordKey(match[2] as string, match[1] as string) : undefined;
}

export function ownerValue(environment: string, address: string): string {
  return `"heritage=parity,parity/environment=${environment},parity/address=${address}"`;
}

export type Owner = { environment: string; address: string };

export function parseOwner(value: string): Owner | undefined {
  const fields = new Map(
    value
      .replace(/^"|"$/g, "")
      .split(",")
      .map((pair) => {
        const at = pair.indexOf("=");
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as [string, string];
      }),
  );
  const environment = fields.get("parity/environment");
  const address = fields.get("parity/address");
  if (fields.get("heritage") !== "parity" || !environment || !address) return undefined;
  return { environment, address };
}

function hostValue(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, "");
}

/** TXT values must be quoted strings of at most 255 characters each. */
function quoteTxt(value: string): string {
  if (/^".*"$/.test(value.trim())) return value.trim();
  const chunks = value.match(/[\s\S]{1,255}/g) ?? [""];
  return chunks.map((c) => `"${c.replace(/(["\\])/g, "\\$1")}"`).join(" ");
}

/** Values in the form Route53 stores and compares them, sorted: a record's values are a set. */
export function normaliseValues(type: string, values: string[]): string[] {
  const t = type.toUpperCase();
  const one = (v: string): string => {
    switch (t) {
      case "CNAME":
      case "NS":
      case "PTR":
        return hostValue(v);
      case "MX":
      case "SRV": {
        const parts = v.trim().split(/\s+/);
        const host = parts.pop() ?? "";
        return [...parts, hostValue(host)].join(" ");
      }
      case "TXT":
      case "SPF":
        return quoteTxt(v);
      case "AAAA":
        return v.trim().toLowerCase();
      default:
        return v.trim();
    }
  };
  return values.map(one).sort();
}

/** Route53's record set → canonical attributes (aliases: moto reports TTL 0, which means nothing). */
export function canonicalFromRecordSet(set: ResourceRecordSet): Attrs {
  const base = { name: normaliseName(set.Name ?? ""), type: String(set.Type ?? "") };
  if (set.AliasTarget) {
    return {
      ...base,
      alias: {
        dnsName: normaliseName(set.AliasTarget.DNSName ?? ""),
        hostedZoneId: set.AliasTarget.HostedZoneId ?? "",
        evaluateTargetHealth: set.AliasTarget.EvaluateTargetHealth ?? false,
      },
    };
  }
  return {
    ...base,
    values: normaliseValues(
      base.type,
      (set.ResourceRecords ?? []).map((r) => r.Value ?? ""),
    ),
    ttl: set.TTL ?? 0,
  };
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
    ...(spec.evaluateTargetHealth !== undefined ? { evaluateTargetHealth: spec.evaluateTargetHealth } : {}),
  };
  if (hostedZoneId === undefined) {
    return { target, error: `cannot tell the hosted zone of alias target ${String(dnsName)}` };
  }
  return { target };
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
    attributes.values = normaliseValues(spec.type, spec.values ?? []);
    attributes.ttl = spec.ttl ?? DEFAULT_TTL;
  }
  for (const key of ["alias", "values", "ttl"]) {
    if (observed?.attributes[key] !== undefined && !(key in attributes)) attributes[key] = null;
  }
  return { attributes, errors };
}

/** Canonical attributes → the record set to UPSERT under `name` (the live spelling, when it exists). */
export function toRecordSet(attributes: Attrs, name: string): ResourceRecordSet {
  const type = String(attributes.type) as RRType;
  const alias = attributes.alias as
    { dnsName: Value; hostedZoneId: Value; evaluateTargetHealth?: boolean } | null | undefined;
  if (alias) {
    if (isUnknown(alias.dnsName) || isUnknown(alias.hostedZoneId))
      throw new Error("alias target is not known yet");
    return {
      Name: name,
      Type: type,
      AliasTarget: {
        DNSName: String(alias.dnsName),
        HostedZoneId: String(alias.hostedZoneId),
        EvaluateTargetHealth: alias.evaluateTargetHealth ?? false,
      },
    };
  }
  return {
    Name: name,
    Type: type,
    TTL: Number(attributes.ttl ?? DEFAULT_TTL),
    ResourceRecords: ((attributes.values ?? []) as string[]).map((Value) => ({ Value })),
  };
}

/** A listed record set as it must be sent back in a DELETE: an alias carries no TTL. */
export function exactRecordSet(set: ResourceRecordSet): ResourceRecordSet {
  const { TTL, ResourceRecords, ...rest } = set;
  if (set.AliasTarget) return rest;
  return { ...rest, TTL, ResourceRecords };
}
