import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";

/** The merged environment document, as the config layer parsed it (before schema coercion). */
export type Doc = { [key: string]: Value };
export type Entry = { [key: string]: Value };

/** One wiring problem, at a path inside the document; `atKey` points at the key, not the value. */
export type Finding = { path: (string | number)[]; message: string; hint?: string; atKey?: boolean };

/** The named entries of a map kind (`securityGroups.app` → ["app", {...}]); nothing if absent. */
export function entries(doc: Doc, kind: string): [string, Entry][] {
  const block = doc[kind];
  if (!isPlainObject(block)) return [];
  return Object.entries(block).filter((e): e is [string, Entry] => isPlainObject(e[1]));
}

export function entry(doc: Doc, kind: string, name: string | undefined): Entry | undefined {
  const block = doc[kind];
  const found = name !== undefined && isPlainObject(block) ? block[name] : undefined;
  return isPlainObject(found) ? found : undefined;
}

/** `securityGroups.app` → "app" when the value is a reference to that kind. */
export function refTo(value: Value | undefined, kind: string): string | undefined {
  if (typeof value !== "string" || !value.startsWith(kind + ".")) return undefined;
  const name = value.slice(kind.length + 1);
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : undefined;
}

/** A field that may be one value or a list of them, as a list. */
export function list(value: Value | undefined): Value[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every reference in a list of references to a kind, or undefined if any is not one (an `sg-…` id). */
export function refsTo(value: Value | undefined, kind: string): string[] | undefined {
  const names = list(value).map((v) => refTo(v, kind));
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

export type DnsRecord = { index: number; name: string; alias: Value | undefined };

/** `dns.records`, with names made absolute (a name without the zone is relative to it; `@` is the zone). */
export function dnsRecords(doc: Doc): DnsRecord[] {
  const dns = doc.dns;
  if (!isPlainObject(dns) || !Array.isArray(dns.records)) return [];
  const zone = typeof dns.zone === "string" ? hostName(dns.zone) : "";
  const out: DnsRecord[] = [];
  dns.records.forEach((record, index) => {
    if (!isPlainObject(record) || typeof record.name !== "string") return;
    let name = hostName(record.name);
    if (zone && name === "@") name = zone;
    else if (zone && name !== zone && !name.endsWith("." + zone)) name = `${name}.${zone}`;
    out.push({ index, name, alias: record.alias });
  });
  return out;
}

/** Host names compare without case and without Route53's trailing dot. */
export function hostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}
