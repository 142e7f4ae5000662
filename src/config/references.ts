import { closest, distance } from "fastest-levenshtein";
import type { Diagnostic, SourceLocation, Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { findCycle } from "../engine/graph.js";
import { formatPath, locate } from "./yaml.js";
import type { Path } from "./yaml.js";

export type KindInfo = {
  key: string;
  shape: "map" | "single";
  outputs: string[];
  types?: { laterReferences?: string[] }[];
};

/** `["ingress", 0, "source"]` → `ingress[].source`, the form `laterReferences` lists. */
function pathPattern(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? "[]" : i === 0 ? p : `.${p}`)).join("");
}

/** Whether a reference at `path` inside an entry of `kind` is one its type makes no creation edge for. */
export function isLaterReference(kind: KindInfo | undefined, path: Path): boolean {
  const pattern = pathPattern(path);
  return (kind?.types ?? []).some((t) => t.laterReferences?.includes(pattern) === true);
}

export type Reference = { from: string; path: Path; target: string };

const PLAIN = /^([A-Za-z]+)\.([A-Za-z0-9_-]+)$/;
const INTERPOLATION = /\$\{([^}]*)\}/g;

/** Every addressable entry of the document: `kind.name` for map kinds, `kind` for single ones. */
export function entryAddresses(document: { [key: string]: Value }, kinds: KindInfo[]): Map<string, Path> {
  const out = new Map<string, Path>();
  for (const kind of kinds) {
    const block = document[kind.key];
    if (!isPlainObject(block)) continue;
    if (kind.shape === "single") out.set(kind.key, [kind.key]);
    else for (const name of Object.keys(block)) out.set(`${kind.key}.${name}`, [kind.key, name]);
  }
  return out;
}

function* strings(value: Value, path: Path): Generator<[string, Path]> {
  if (typeof value === "string") yield [value, path];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, [...path, i]);
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

/**
 * The addresses a value refers to, with `kind.name` and `${kind.name.attribute}` forms; `skip` leaves
 * out the references at some paths.
 */
export function referencedAddresses(
  value: Value,
  kinds: KindInfo[],
  skip: (path: Path) => boolean = () => false,
): string[] {
  const keys = new Set(kinds.filter((k) => k.shape === "map").map((k) => k.key));
  const found = new Set<string>();
  for (const [text, path] of strings(value, [])) {
    if (skip(path)) continue;
    const plain = PLAIN.exec(text);
    if (plain && keys.has(plain[1] as string)) found.add(text);
    for (const match of text.matchAll(INTERPOLATION)) {
      const [kind, name] = (match[1] ?? "").split(".");
      if (kind && name && keys.has(kind)) found.add(`${kind}.${name}`);
    }
  }
  return [...found];
}

/**
 * Finds and checks every reference: unknown targets (with the closest existing name suggested),
 * unknown attributes, misspelt kinds, and cycles.
 */
export function checkReferences(
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
  kinds: KindInfo[],
): { references: Reference[]; diagnostics: Diagnostic[] } {
  const entries = entryAddresses(document, kinds);
  const byKey = new Map(kinds.map((k) => [k.key, k]));
  const mapKeys = kinds.filter((k) => k.shape === "map").map((k) => k.key);
  const references: Reference[] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (path: Path, message: string, hint?: string) => {
    const location = locate(locations, path);
    diagnostics.push({
      severity: "error",
      ...(location ? { location } : {}),
      path: formatPath(path),
      message,
      ...(hint ? { hint } : {}),
    });
  };
  const suggest = (kind: string, name: string): string | undefined => {
    const names = [...entries.keys()]
      .filter((a) => a.startsWith(kind + "."))
      .map((a) => a.slice(kind.length + 1));
    return names.length
      ? `did you mean ${kind}.${closest(name, names)}?`
      : `no ${kind} are defined in this file`;
  };
  const sources: [string, Path][] = [...entries.entries()];
  if (Array.isArray(document.checks))
    document.checks.forEach((_c, i) => sources.push([`checks[${i}]`, ["checks", i]]));

  for (const [from, base] of sources) {
    let value: Value | undefined = document;
    for (const part of base) value = (value as { [key: string]: Value } | Value[])[part as never];
    for (const [text, path] of strings(value ?? null, base)) {
      const plain = PLAIN.exec(text);
      if (plain) {
        const [, kind, name] = plain as unknown as [string, string, string];
        if (mapKeys.includes(kind)) {
          if (entries.has(text)) references.push({ from, path, target: text });
          else report(path, `unknown reference ${text}`, suggest(kind, name));
        } else if (kind.length > 4 && mapKeys.some((k) => distance(kind, k) <= 2)) {
          report(
            path,
            `unknown kind "${kind}" in reference ${text}`,
            `did you mean ${closest(kind, mapKeys)}.${name}?`,
          );
        }
      }
      for (const match of text.matchAll(INTERPOLATION)) {
        const parts = (match[1] ?? "").split(".");
        const [kind, name, attribute] = parts as [string, string | undefined, string | undefined];
        const info = byKey.get(kind);
        if (parts.length !== 3 || !info || !name || !attribute) {
          report(
            path,
            `cannot interpolate \${${match[1]}}`,
            "write ${kind.name.attribute}, e.g. ${buckets.assets.name}",
          );
          continue;
        }
        const target = `${kind}.${name}`;
        if (!entries.has(target)) report(path, `unknown reference ${target}`, suggest(kind, name));
        else if (!info.outputs.includes(attribute)) {
          report(path, `${kind} have no attribute "${attribute}"`, `one of: ${info.outputs.join(", ")}`);
        } else references.push({ from, path, target });
      }
    }
  }

  const edges = new Map<string, string[]>();
  for (const ref of references) {
    if (ref.from.startsWith("checks[")) continue;
    const kind = byKey.get(String(ref.path[0]));
    if (isLaterReference(kind, ref.path.slice(kind?.shape === "map" ? 2 : 1))) continue;
    edges.set(ref.from, [...(edges.get(ref.from) ?? []), ref.target]);
  }
  const cycle = findCycle(edges);
  if (cycle) {
    const first = references.find((r) => r.from === cycle[0] && r.target === cycle[1]);
    report(
      first?.path ?? entries.get(cycle[0] as string) ?? [],
      `reference cycle: ${cycle.join(" → ")}`,
      "break the cycle by removing one of these references",
    );
  }
  return { references, diagnostics };
}
