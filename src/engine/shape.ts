import type { Attrs, Value } from "../model/index.js";
import { isPlainObject, isSensitive } from "../model/index.js";
import { sameValue } from "./compare.js";
import type { Role, TSchema } from "./schema.js";
import { attributeRules } from "./schema.js";

/** What a comparison needs of a resource type: its annotated schema, and roles of attributes outside it. */
export type ShapeRules = { schema: TSchema; attributeRoles?: { [path: string]: Role } };

/** Shown instead of any secret's value: two environments' secrets compare by key only. */
export const SECRET = "(secret)";
/** The other side of a key that is secret on one side only; its value is not shown either. */
export const NOT_SECRET = "(plain text)";

/**
 * The role of an observed attribute path: the schema's annotation for it or its nearest annotated
 * ancestor, then the type's `attributeRoles`; shape when nothing says otherwise, so an attribute
 * a kind forgot to annotate shows rather than hides a difference.
 */
export function roleOf(rules: ShapeRules): (path: string) => Role {
  const annotated = new Map<string, Role>(attributeRules(rules.schema).map((r) => [r.path, r.role]));
  for (const [path, role] of Object.entries(rules.attributeRoles ?? {})) annotated.set(path, role);
  return (path) => {
    for (let at = path; at; at = at.includes(".") ? at.slice(0, at.lastIndexOf(".")) : "") {
      const role = annotated.get(at);
      if (role) return role;
    }
    return "shape";
  };
}

/** A value as a comparison shows it: secrets masked, whatever depth they sit at. */
export function masked(value: Value | undefined): Value | undefined {
  if (value === undefined) return undefined;
  if (isSensitive(value)) return SECRET;
  if (Array.isArray(value)) return value.map((v) => masked(v) ?? null);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v) ?? null]));
  }
  return value;
}

/** A resource's attributes as live (`raw`) and with its ids read as addresses (`read`). */
export type Read = { raw: Attrs; read: Attrs };

function inner(side: Read, key: string): Read {
  const [raw, read] = [side.raw[key], side.read[key]];
  return { raw: isPlainObject(raw) ? raw : {}, read: isPlainObject(read) ? read : {} };
}

function namesResource(side: Read, key: string): boolean {
  return side.read[key] !== undefined && !sameValue(side.raw[key], side.read[key]);
}

export type ShapeDifference = { path: string; a: Value | undefined; b: Value | undefined };

/**
 * The shape attributes of one resource that differ between two environments, one entry per leaf
 * path (objects nest, lists compare whole), read as addresses; a secret equals any other secret,
 * so only a key present on one side shows.
 */
export function shapeDifferences(
  a: Read,
  b: Read,
  role: (path: string) => Role,
  prefix = "",
): ShapeDifference[] {
  const out: ShapeDifference[] = [];
  for (const key of [...new Set([...Object.keys(a.read), ...Object.keys(b.read)])].sort()) {
    const path = prefix ? `${prefix}.${key}` : key;
    const [left, right] = [a.read[key], b.read[key]];
    const kind = role(path);
    if (kind === "directive") continue;
    // Identity counts only where both sides' values name resources of their own (an alias
    // target): then it is wiring, and wiring is shape.
    if (kind === "identity" && !(namesResource(a, key) && namesResource(b, key))) continue;
    if (isSensitive(left) && isSensitive(right)) continue;
    // A secret on one side only: the other value may be the same secret stored as plain text.
    if ((isSensitive(left) || isSensitive(right)) && left !== undefined && right !== undefined) {
      out.push({
        path,
        a: isSensitive(left) ? SECRET : NOT_SECRET,
        b: isSensitive(right) ? SECRET : NOT_SECRET,
      });
      continue;
    }
    if (isPlainObject(left) && isPlainObject(right) && !isSensitive(left) && !isSensitive(right)) {
      out.push(...shapeDifferences(inner(a, key), inner(b, key), role, path));
      continue;
    }
    if (!sameValue(left, right)) out.push({ path, a: masked(left), b: masked(right) });
  }
  return out;
}
