import { closest, distance } from "fastest-levenshtein";
import type { TSchema } from "../engine/schema.js";
import type { DesiredNode, Diagnostic, Move, SourceLocation, Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { addressMatches } from "../engine/targeting.js";
import { formatPath, locate } from "./yaml.js";
import type { Path } from "./yaml.js";

type KindSchema = { key: string; shape: "map" | "single"; schema: TSchema };
type SchemaNode = { [key: string]: unknown };

/** The order and ignore directives of one entry, as the file wrote them. */
export function entryDirectives(spec: { [key: string]: Value }): {
  ignoreChanges: string[];
  dependsOn: string[];
} {
  const strings = (value: Value | undefined) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  return { ignoreChanges: strings(spec.ignoreChanges), dependsOn: strings(spec.dependsOn) };
}

/** `["listeners", 1]` → `listeners[]`, `["values", "KEY"]` → `values.KEY`: how ignore paths name a nested node. */
function nodePattern(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? "[]" : i === 0 ? p : `.${p}`)).join("");
}

/**
 * The entry's ignore paths as one node's attribute paths. The entry's own nodes take them as
 * written; a node nested in it (a listener, an app setting) takes those under its place, without
 * that prefix (`listeners[].certificate` → `certificate`), and its place itself as `""`: all of it.
 */
export function nodeIgnores(ignores: string[], nested: Path | undefined): string[] {
  if (!nested?.length) return ignores;
  const prefix = nodePattern(nested);
  return ignores.flatMap((p) =>
    p === prefix ? [""] : p.startsWith(prefix + ".") ? [p.slice(prefix.length + 1)] : [],
  );
}

function child(node: SchemaNode, name: string): SchemaNode | "any" | undefined {
  const properties = node.properties as { [key: string]: SchemaNode } | undefined;
  if (properties?.[name]) return properties[name];
  for (const branch of [node.anyOf, node.oneOf].flatMap((b) => (Array.isArray(b) ? b : []))) {
    const found = isPlainObject(branch as Value) ? child(branch as SchemaNode, name) : undefined;
    if (found) return found;
  }
  // A map (`tags`, `values`): any key names one of its entries.
  if (isPlainObject(node.additionalProperties as Value)) return node.additionalProperties as SchemaNode;
  return undefined;
}

function names(node: SchemaNode): string[] {
  const own = Object.keys((node.properties as object | undefined) ?? {});
  const branches = [node.anyOf, node.oneOf].flatMap((b) => (Array.isArray(b) ? (b as SchemaNode[]) : []));
  return [...own, ...branches.flatMap((b) => Object.keys((b.properties as object | undefined) ?? {}))];
}

const DIRECTIVES = new Set(["protect", "replaceUnmanaged", "ignoreChanges", "dependsOn"]);

/** Why an ignore path names nothing the kind's schema has, with the closest name there is. */
export function ignorePathProblem(
  schema: TSchema,
  path: string,
): { message: string; hint?: string } | undefined {
  let node: SchemaNode = schema as SchemaNode;
  const parts = path.split(".");
  for (const [i, part] of parts.entries()) {
    const list = part.endsWith("[]");
    const name = list ? part.slice(0, -2) : part;
    if (i === 0 && DIRECTIVES.has(name)) {
      return { message: `"${name}" is an instruction to parity, not an attribute of the resource` };
    }
    const found = child(node, name);
    const known = names(node).filter((n) => !DIRECTIVES.has(n));
    if (known.length === 0 && !found) {
      return { message: `"${parts.slice(0, i).join(".")}" has no attributes to name inside it` };
    }
    if (!found) {
      const nearest = known.length ? closest(name, known) : undefined;
      const close = nearest && distance(name, nearest) <= Math.max(2, Math.floor(name.length / 3));
      return {
        message: `unknown attribute "${parts.slice(0, i + 1).join(".")}"`,
        hint: close
          ? `did you mean "${[...parts.slice(0, i), nearest].join(".")}"?`
          : `one of: ${known.join(", ")}`,
      };
    }
    if (found === "any") return undefined;
    if (found["x-parity-role"] === "directive") {
      return { message: `"${name}" is an instruction to parity, not an attribute of the resource` };
    }
    node = found;
    if (list) {
      if (!isPlainObject(node.items as Value)) return { message: `"${name}" is not a list` };
      node = node.items as SchemaNode;
    }
  }
  return undefined;
}

/** Every entry's `ignoreChanges` checked against its kind's schema, each problem at its line. */
export function checkIgnorePaths(
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
  kinds: KindSchema[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of kinds) {
    const block = document[kind.key];
    if (!isPlainObject(block)) continue;
    const entries: [Path, Value][] =
      kind.shape === "map"
        ? Object.entries(block).map(([name, e]) => [[kind.key, name], e])
        : [[[kind.key], block]];
    for (const [base, entry] of entries) {
      if (!isPlainObject(entry) || !Array.isArray(entry.ignoreChanges)) continue;
      entry.ignoreChanges.forEach((value, i) => {
        if (typeof value !== "string") return;
        const problem = ignorePathProblem(kind.schema, value);
        if (!problem) return;
        const path = [...base, "ignoreChanges", i];
        const location = locate(locations, path);
        out.push({
          severity: "error",
          ...(location ? { location } : {}),
          path: formatPath(path),
          ...problem,
        });
      });
    }
  }
  return out;
}

/**
 * The file's `moved` entries, with everything the file alone can tell wrong about them, each at its
 * line: a kind that does not exist, a move between kinds, a source the file still has, two moves
 * from or to one address, and chains (`a → b`, `b → c`) or cycles, which must be written as one move.
 */
export function readMoves(
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
  kinds: KindSchema[],
  nodes: DesiredNode[],
): { moves: Move[]; diagnostics: Diagnostic[] } {
  const list = Array.isArray(document.moved) ? document.moved : [];
  const moves: Move[] = [];
  const diagnostics: Diagnostic[] = [];
  const keys = kinds.map((k) => k.key);
  list.forEach((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.from !== "string" || typeof entry.to !== "string") return;
    const { from, to } = entry;
    const location = locate(locations, ["moved", i]);
    const report = (field: "from" | "to" | undefined, message: string, hint?: string) => {
      const path = field ? ["moved", i, field] : ["moved", i];
      const at = locate(locations, path) ?? location;
      diagnostics.push({
        severity: "error",
        ...(at ? { location: at } : {}),
        path: formatPath(path),
        message,
        ...(hint ? { hint } : {}),
      });
    };
    const kindOf = (address: string) => address.split(/[.[]/)[0] ?? "";
    for (const [field, address] of [
      ["from", from],
      ["to", to],
    ] as const) {
      if (!keys.includes(kindOf(address)))
        return report(
          field,
          `unknown kind "${kindOf(address)}" in ${address}`,
          `did you mean ${closest(kindOf(address), keys)}?`,
        );
    }
    if (kindOf(from) !== kindOf(to))
      return report("to", `cannot move ${kindOf(from)} to ${kindOf(to)}: a move keeps its kind`);
    if (from === to) return report("to", `moves ${from} onto itself`, "remove this entry");
    if (nodes.some((n) => addressMatches(from, n.address))) {
      return report(
        "from",
        `${from} is still in the file`,
        `rename its key to the one in \`to\`, or remove this entry`,
      );
    }
    const earlier = moves.find((m) => m.to === to);
    if (earlier)
      return report(
        "to",
        `${to} is the target of two moves (${earlier.from} and ${from})`,
        "keep one of them",
      );
    const twice = moves.find((m) => m.from === from);
    if (twice) return report("from", `${from} is moved twice (to ${twice.to} and ${to})`, "keep one of them");
    moves.push({ from, to, ...(location ? { location } : {}) });
  });
  // A chain or a cycle: some move's target is another's source (or lies under it, or over it).
  const chained = moves.find((m) =>
    moves.some((n) => n !== m && (addressMatches(n.from, m.to) || addressMatches(m.to, n.from))),
  );
  if (chained) {
    const path = chainFrom(chained, moves);
    const cycle = path[0] === path[path.length - 1];
    const i = list.findIndex((e) => isPlainObject(e) && e.from === chained.from && e.to === chained.to);
    const at = locate(locations, ["moved", i, "to"]) ?? chained.location;
    diagnostics.push({
      severity: "error",
      ...(at ? { location: at } : {}),
      path: formatPath(["moved", i, "to"]),
      message: `${cycle ? "moved cycle" : "moved chain"}: ${path.join(" → ")}`,
      hint: cycle
        ? "remove one of these entries"
        : `write one move, from ${path[0]} to ${path[path.length - 1]}`,
    });
  }
  return { moves, diagnostics };
}

/** The addresses a chain of moves passes through from `start`, its first repeated last for a cycle. */
function chainFrom(start: Move, moves: Move[]): string[] {
  const path = [start.from, start.to];
  let at = start;
  for (;;) {
    const next = moves.find(
      (m) => m !== at && (addressMatches(m.from, at.to) || addressMatches(at.to, m.from)),
    );
    if (!next) return path;
    if (path.includes(next.to)) return [...path, next.to];
    path.push(next.to);
    at = next;
  }
}
