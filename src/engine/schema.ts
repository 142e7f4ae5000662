import Type from "typebox";
import type { Static, TSchema } from "typebox";
import type { DesiredNode, Value } from "../model/index.js";

export { Type };
export type { Static, TSchema };

/**
 * What an attribute is, for everything that reads a kind's schema rather than its code:
 * - `identity`: names, ids, ARNs, anything derived from the environment's name. Two environments
 *   differ in identity by design, so `compare` never counts it; `export` writes it from the live value.
 * - `shape`: what makes two environments the same (ports, health checks, counts, rules…).
 * - `directive`: an instruction to parity rather than a property of the live resource
 *   (`adopt`, `copyFrom`, `protect`): never compared, never exported.
 */
export type Role = "identity" | "shape" | "directive";

const ROLE = "x-parity-role";
const REPLACES = "x-parity-replaces";

/** Schema options marking an attribute's role: `Type.String({ ...identity, pattern })`. */
export const identity = { [ROLE]: "identity" } as const;
export const directive = { [ROLE]: "directive" } as const;
/** Changing this attribute can only be done by replacing the resource. */
export const replaces = { [REPLACES]: true } as const;

/** One attribute as the schema documents it; `path` is dotted, `[]` marks list items. */
export type AttributeRule = {
  path: string;
  role: Role;
  forcesReplacement: boolean;
  default?: Value;
};

function schemaObject(value: unknown): { [key: string]: unknown } | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as { [key: string]: unknown })
    : undefined;
}

/**
 * Every attribute a schema declares, with its role, replacement rule and default, read from the
 * annotations above. Object properties nest (`healthCheck.path`), list items add `[]`, and the
 * object branches of a union (`stickiness: false | { … }`) contribute their properties.
 */
export function attributeRules(schema: TSchema): AttributeRule[] {
  const rules: AttributeRule[] = [];
  const walk = (node: { [key: string]: unknown }, path: string, inherited: Role): void => {
    // A list of identities (aliases) is identity as a whole.
    const itemRole = schemaObject(node.items)?.[ROLE] as Role | undefined;
    const role = (node[ROLE] as Role | undefined) ?? itemRole ?? inherited;
    if (path) {
      rules.push({
        path,
        role,
        forcesReplacement: node[REPLACES] === true,
        ...(node.default !== undefined ? { default: node.default as Value } : {}),
      });
    }
    const properties = schemaObject(node.properties);
    for (const [key, child] of Object.entries(properties ?? {})) {
      const inner = schemaObject(child);
      if (inner) walk(inner, path ? `${path}.${key}` : key, role);
    }
    const items = schemaObject(node.items);
    if (items && (items.properties || items.anyOf)) walk(withoutOwnEntry(items), `${path}[]`, role);
    for (const branch of [node.anyOf, node.oneOf].flatMap((b) => (Array.isArray(b) ? b : []))) {
      const inner = schemaObject(branch);
      if (inner?.properties) walk(withoutOwnEntry(inner), path, role);
    }
  };
  walk(schema as { [key: string]: unknown }, "", "shape");
  // A union's branches repeat the paths they share: keep the first of each.
  const seen = new Set<string>();
  return rules.filter((r) => !seen.has(r.path) && seen.add(r.path) !== undefined);
}

/** A nested schema walked in place of its parent: its properties count, not a second entry for the path. */
function withoutOwnEntry(schema: { [key: string]: unknown }): { [key: string]: unknown } {
  return { properties: schema.properties, ...(schema.anyOf ? { anyOf: schema.anyOf } : {}) };
}

/** The attribute paths whose change forces replacement, as `compareAttributes` takes them. */
export function replacementPaths(schema: TSchema): string[] {
  return attributeRules(schema)
    .filter((r) => r.forcesReplacement)
    .map((r) => r.path);
}

/**
 * The typed view of a node's spec. Config validated every entry against exactly this schema before
 * any node existed, so reading it as the schema's static type is safe; this is the one place that
 * says so, instead of a cast in every kind.
 */
export function specReader<S extends TSchema, Extra extends object = object>(
  _schema: S,
): (node: Pick<DesiredNode, "spec">) => Static<S> & Extra {
  return (node) => node.spec as Static<S> & Extra;
}

/** The same, for a value config validated against `schema` (a check's `http:` block, say). */
export function validatedReader<S extends TSchema>(_schema: S): (value: unknown) => Static<S> {
  return (value) => value as Static<S>;
}

/** A typed spec as the plain data a node carries (what expand returns, what a saved plan stores). */
export function nodeSpec(spec: object): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  for (const [key, value] of Object.entries(spec)) if (value !== undefined) out[key] = value as Value;
  return out;
}

/** The documentation `npm run schema` adds to a described attribute: its default and what changing it does. */
export function documented(schema: TSchema): TSchema {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    const node = schemaObject(value);
    if (!node) return value;
    const out: { [key: string]: unknown } = {};
    for (const [key, inner] of Object.entries(node)) out[key] = visit(inner);
    const notes = [
      ...(node.default !== undefined ? [`Default: ${JSON.stringify(node.default)}.`] : []),
      ...(node[REPLACES] === true ? ["Changing it replaces the resource."] : []),
      ...(node[ROLE] === "identity" ? ["Identity: never counted as a difference between environments."] : []),
    ];
    if (
      notes.length > 0 &&
      (node.type !== undefined || node.enum !== undefined || node.anyOf !== undefined)
    ) {
      const own = typeof node.description === "string" ? `${node.description}. ` : "";
      out.markdownDescription = `${own}${notes.join(" ")}`;
    }
    return out;
  };
  return visit(schema) as TSchema;
}

/** `tags: { key: value }`, as every kind takes them: labels of the environment, not its shape. */
export const Tags = Type.Unsafe<Record<string, string>>({
  type: "object",
  additionalProperties: { type: "string" },
  ...identity,
});

/** `protect: true`: never deleted or replaced without --allow-destroy (the engine reads it). */
export const Protect = Type.Boolean({ ...directive });

/**
 * `ignoreChanges: [count, tags.owner]`: attribute paths another writer owns (an autoscaler's
 * `count`, a deploy job's tag). The plan never shows them and an update never sends them.
 */
export const IgnoreChanges = Type.Array(
  Type.String({
    pattern: "^[A-Za-z][A-Za-z0-9_-]*(\\[\\])?(\\.[A-Za-z0-9_:/@+=-]+(\\[\\])?)*$",
    description: "an attribute path like `count`, `tags.owner` or `listeners[].certificate`",
  }),
  {
    ...directive,
    uniqueItems: true,
    description:
      "Attribute paths parity leaves to another writer: never planned, never sent by an update, shown as ignored by `compare`",
  },
);

/**
 * `dependsOn: [kind.name]`: an order no reference implies. The entry is created and updated after
 * those, and deleted before them.
 */
export const DependsOn = Type.Array(
  Type.String({ pattern: "^[A-Za-z]+\\.[A-Za-z0-9_-]+$", description: "a reference `kind.name`" }),
  {
    ...directive,
    uniqueItems: true,
    description:
      "Entries this one is created and updated after (and deleted before), beyond what its references imply",
  },
);

/** A `kind.name` reference to another entry of the file, e.g. `securityGroups.alb`. */
export function reference(kind: string, options: { description?: string } = {}) {
  return Type.String({ pattern: `^${kind}\\.[A-Za-z0-9_-]+$`, ...options });
}
