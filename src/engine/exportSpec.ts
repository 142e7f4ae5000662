import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { sameValue } from "./compare.js";
import type { TSchema } from "./schema.js";

type SchemaNode = { [key: string]: unknown };

function asNode(value: unknown): SchemaNode | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as SchemaNode)
    : undefined;
}

/** An object schema's properties, the object branches of its unions (`stickiness: false | {…}`) included. */
function propertiesOf(node: SchemaNode): Map<string, SchemaNode> {
  const out = new Map<string, SchemaNode>();
  const branches = [
    node,
    ...[node.anyOf, node.oneOf, node.else].flatMap((b) => (Array.isArray(b) ? b : [b])),
  ];
  for (const branch of branches) {
    for (const [key, child] of Object.entries(asNode(asNode(branch)?.properties) ?? {})) {
      const inner = asNode(child);
      if (inner && !out.has(key)) out.set(key, inner);
    }
  }
  return out;
}

function requiredOf(node: SchemaNode): Set<string> {
  return new Set(Array.isArray(node.required) ? node.required.map(String) : []);
}

/**
 * The spec without what the schema documents as AWS's default, so an exported file reads like one
 * a person wrote (the plan compares defaults whether or not the file sets them). A map left empty
 * by it goes too; required attributes always stay.
 */
export function withoutDefaults(value: Value, schema: TSchema): Value {
  const walk = (v: Value, node: SchemaNode | undefined): Value => {
    if (!node) return v;
    if (Array.isArray(v)) {
      const items = asNode(node.items);
      return v.map((item) => walk(item, items));
    }
    if (!isPlainObject(v)) return v;
    const properties = propertiesOf(node);
    const required = requiredOf(node);
    const out: { [key: string]: Value } = {};
    for (const [key, inner] of Object.entries(v)) {
      const child = properties.get(key) ?? asNode(node.additionalProperties);
      const optional = !required.has(key);
      if (optional && child?.default !== undefined && sameValue(inner, child.default as Value)) continue;
      const cleaned = walk(inner, child);
      if (optional && isPlainObject(cleaned) && Object.keys(cleaned).length === 0 && child) continue;
      out[key] = cleaned;
    }
    return out;
  };
  return walk(value, asNode(schema));
}

/**
 * Two parts of one block as one: maps merge, lists concatenate, equal values are one value. Undefined
 * when they disagree (two different `path`s for one `appEnv` block): the second does not fit.
 */
export function deepMerge(
  a: { [key: string]: Value },
  b: { [key: string]: Value },
): { [key: string]: Value } | undefined {
  const out: { [key: string]: Value } = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const have = out[key];
    if (have === undefined) out[key] = value;
    else if (Array.isArray(have) && Array.isArray(value)) out[key] = [...have, ...value];
    else if (isPlainObject(have) && isPlainObject(value)) {
      const merged = deepMerge(have, value);
      if (merged === undefined) return undefined;
      out[key] = merged;
    } else if (!sameValue(have, value)) return undefined;
  }
  return out;
}
