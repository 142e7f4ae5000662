import type {
  Comparison,
  ComparisonRow,
  DesiredNode,
  Gap,
  ObservedNode,
  Plan,
  Value,
} from "../model/index.js";
import { ignoredRow } from "./comparisonIgnores.js";
import { groupOf } from "./graph.js";
import { liveReferences } from "./liveReferences.js";
import { masked, roleOf, shapeDifferences } from "./shape.js";
import type { ShapeRules } from "./shape.js";

/** An `expectedDifferences` entry: an address (the whole resource) or an attribute path in one. */
export type ExpectedDifference = { path: string; reason: string };

/** One environment as compare reads it: its file's nodes, its live resources, its own plan. */
export type ComparedEnvironment = {
  file: string;
  environment: string;
  region: string;
  declared: Pick<DesiredNode, "address" | "group" | "type" | "ignoreChanges">[];
  observed: ObservedNode[];
  plan: Plan;
  expectedDifferences: ExpectedDifference[];
};

export type ComparisonInput = {
  a: ComparedEnvironment;
  b: ComparedEnvironment;
  /** Each resource type's schema and extra roles, by type name. */
  rules: Map<string, ShapeRules>;
  /** Top-level keys in registry order: rows are grouped by kind in this order. */
  kindOrder: string[];
};

type Side = {
  env: ComparedEnvironment;
  declared: Map<string, Pick<DesiredNode, "address" | "group" | "type" | "ignoreChanges">>;
  live: Map<string, ObservedNode>;
  read: (value: Value) => Value;
  label: string;
  which: "a" | "b";
};

function sideOf(env: ComparedEnvironment, label: string, which: Side["which"]): Side {
  const live = new Map<string, ObservedNode>();
  for (const node of env.observed) if (node.address && !live.has(node.address)) live.set(node.address, node);
  return {
    env,
    declared: new Map(env.declared.map((n) => [n.address, n])),
    live,
    read: liveReferences(env.observed),
    label,
    which,
  };
}

/** Names each side by its environment, with the region when both share a name. */
function labels(a: ComparedEnvironment, b: ComparedEnvironment): [string, string] {
  if (a.environment !== b.environment) return [a.environment, b.environment];
  if (a.region !== b.region) return [`${a.environment} (${a.region})`, `${b.environment} (${b.region})`];
  return [`${a.environment} (${a.file})`, `${b.environment} (${b.file})`];
}

export const kindOf = (address: string): string => address.split(/[.[]/)[0] ?? address;

/** True when `path` names `address` itself or something inside it. */
function within(path: string, address: string): boolean {
  return path === address || path.startsWith(`${address}.`) || path.startsWith(`${address}[`);
}

/**
 * B's live shape against A's, resource by resource (aligned by address) and attribute by
 * attribute (shape only: identity and directives never count). Pure: discovery and both plans
 * are done before, so the two environments may live in different regions or accounts.
 */
export function compareEnvironments(input: ComparisonInput): Comparison {
  const [labelA, labelB] = labels(input.a, input.b);
  const a = sideOf(input.a, labelA, "a");
  const b = sideOf(input.b, labelB, "b");
  const addresses = new Set([...a.declared.keys(), ...a.live.keys(), ...b.declared.keys(), ...b.live.keys()]);
  const found: ComparisonRow[] = [];
  for (const address of addresses) found.push(...rowsFor(address, a, b, input.rules));

  const order = (row: ComparisonRow) => {
    const at = input.kindOrder.indexOf(row.kind);
    return at < 0 ? input.kindOrder.length : at;
  };
  found.sort(
    (x, y) =>
      order(x) - order(y) || x.address.localeCompare(y.address) || (x.path ?? "").localeCompare(y.path ?? ""),
  );
  const covered = found.map(
    (row) =>
      ignoredRow(
        row,
        [a, b].map((side) => ({ file: side.env.file, declared: side.env.declared })),
      ) ?? withExpectation(row, a.env, b.env),
  );
  const rows = covered.filter((r) => !r.expected && !r.ignored);
  const expected = covered.filter((r) => r.expected);
  const ignored = covered.filter((r) => r.ignored);
  return {
    formatVersion: 1,
    a: sideSummary(a),
    b: sideSummary(b),
    rows,
    expected,
    ...(ignored.length > 0 ? { ignored } : {}),
    summary: {
      differences: rows.length,
      resources: new Set(rows.map((r) => r.group)).size,
      expected: expected.length,
      ...(ignored.length > 0 ? { ignored: ignored.length } : {}),
    },
  };
}

function sideSummary({ env, label }: Side): Comparison["a"] {
  return {
    name: label,
    file: env.file,
    environment: env.environment,
    region: env.region,
    // Adopting a resource that already matches the file changes only its tags: not drift.
    changes: env.plan.changes.filter(
      (c) =>
        c.action !== "no-op" &&
        !(c.action === "adopt" && c.attributes.every((x) => x.path.startsWith("tags"))),
    ).length,
  };
}

function rowsFor(address: string, a: Side, b: Side, rules: Map<string, ShapeRules>): ComparisonRow[] {
  const [liveA, liveB] = [a.live.get(address), b.live.get(address)];
  const known = liveA ?? liveB ?? a.declared.get(address) ?? b.declared.get(address);
  const type = known?.type ?? "";
  const group =
    a.declared.get(address)?.group ??
    b.declared.get(address)?.group ??
    liveA?.group ??
    liveB?.group ??
    groupOf(address);
  const base = { address, kind: kindOf(address), group };
  if (liveA && liveB) {
    const typeRules = rules.get(type);
    if (!typeRules) return [];
    const role = roleOf(typeRules);
    const read = (node: ObservedNode, side: Side) => ({
      raw: node.attributes,
      read: readAll(node.attributes, side.read),
    });
    const differences = shapeDifferences(read(liveA, a), read(liveB, b), role).map((d) => ({
      ...base,
      path: d.path,
      gap: "differs" as const,
      ...(d.a !== undefined ? { a: d.a } : {}),
      ...(d.b !== undefined ? { b: d.b } : {}),
      fix: differsFix(address, group, d.path, d.a, a, b),
    }));
    return [
      ...differences,
      ...pendingDirectives(base, b, typeRules),
      ...pendingDirectives(base, a, typeRules),
    ];
  }
  const inA = liveA !== undefined || (liveB === undefined && a.declared.has(address));
  const inB = liveB !== undefined || (liveA === undefined && b.declared.has(address));
  if (inA === inB) return [];
  const gap: Gap = inA ? "missing-in-b" : "only-in-b";
  return [
    {
      ...base,
      gap,
      a: presence(a, address),
      b: presence(b, address),
      fix: gap === "missing-in-b" ? missingFix(address, group, a, b) : onlyFix(address, group, a, b),
    },
  ];
}

/**
 * What a side's file asks of a resource that no live attribute shows (a database restored from a
 * snapshot of another, a bucket seeded with a copy): its plan's pending directives, one row each,
 * so "staging's database is empty" shows in the table although both databases look alike.
 */
function pendingDirectives(
  base: Pick<ComparisonRow, "address" | "kind" | "group">,
  side: Side,
  rules: ShapeRules,
): ComparisonRow[] {
  const role = roleOf({ schema: rules.schema });
  const change = side.env.plan.changes.find((c) => c.address === base.address && c.action !== "no-op");
  // The spec's directives only: `protect`, recorded on every resource, is no gap between two.
  const pending = (change?.attributes ?? []).filter(
    (x) => role(x.path) === "directive" && x.after !== undefined,
  );
  return pending.map((x) => ({
    ...base,
    path: x.path,
    gap: "differs" as const,
    [side.which]: masked(x.after) ?? null,
    fix: `${side.env.file} asks for it, not done yet: \`parity apply ${side.env.file}\``,
  }));
}

function readAll(attrs: { [key: string]: Value }, read: (value: Value) => Value): { [key: string]: Value } {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, read(v)]));
}

function presence(side: Side, address: string): string {
  if (side.live.has(address)) return side.declared.has(address) ? "present" : "present, not in the file";
  return side.declared.has(address) ? "declared, not created" : "absent";
}

/** How to add an address to a file: the entry itself, a part of it, or one more of a counted group. */
function addition(address: string, group: string): string {
  if (address === group) return `\`${address}\``;
  if (address.startsWith(`${group}[`)) return `one more to \`${group}.count\``;
  return `\`${address.slice(group.length + 1)}\` to \`${group}\``;
}

function expectHint(what: string): string {
  return `or declare \`${what}\` in expectedDifferences`;
}

function missingFix(address: string, group: string, a: Side, b: Side): string {
  if (b.declared.has(address)) {
    return `${b.env.file} declares it, not created yet: \`parity apply ${b.env.file}\``;
  }
  return `add ${addition(address, group)} in ${b.env.file}, ${expectHint(address)}`;
}

function onlyFix(address: string, group: string, a: Side, b: Side): string {
  if (!b.live.has(address)) {
    return `not created yet: \`parity apply ${b.env.file}\`; or add ${addition(address, group)} in ${a.env.file}, ${expectHint(address)}`;
  }
  if (a.declared.has(address)) {
    return `${a.env.file} declares it, not created yet: \`parity apply ${a.env.file}\``;
  }
  if (!b.declared.has(address)) {
    return `${b.env.file} does not declare it: \`parity apply ${b.env.file}\` removes it`;
  }
  return `add ${addition(address, group)} in ${a.env.file} or remove it from ${b.env.file}, ${expectHint(address)}`;
}

/** True when a side's own plan changes this attribute: the gap is in its live account, not its file. */
function drifted(side: Side, address: string, path: string): boolean {
  return side.env.plan.changes.some(
    (c) =>
      c.address === address &&
      c.action !== "no-op" &&
      (c.action !== "update" && c.action !== "adopt"
        ? true
        : c.attributes.some((x) => within(path, x.path) || within(x.path, path))),
  );
}

function shown(value: Value | undefined): string {
  if (value === undefined) return "nothing (remove it)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function differsFix(
  address: string,
  group: string,
  path: string,
  want: Value | undefined,
  a: Side,
  b: Side,
): string {
  if (drifted(b, address, path)) {
    return `${b.label}'s live value is not what ${b.env.file} says: run \`parity apply ${b.env.file}\``;
  }
  if (drifted(a, address, path)) {
    return `${a.label}'s live value is not what ${a.env.file} says: run \`parity apply ${a.env.file}\``;
  }
  const where = address === group ? "" : ` (${address})`;
  return `set \`${group}.${path}\`${where} to ${shown(want)} in ${b.env.file}, ${expectHint(`${address}.${path}`)}`;
}

/** The first entry of either file that covers the row. */
function withExpectation(row: ComparisonRow, a: ComparedEnvironment, b: ComparedEnvironment): ComparisonRow {
  const names = [row.address, row.group].flatMap((at) => (row.path ? [`${at}.${row.path}`] : [at]));
  for (const env of [a, b]) {
    const entry = env.expectedDifferences.find((e) => names.some((name) => within(name, e.path)));
    if (entry) return { ...row, expected: { reason: entry.reason, file: env.file, entry: entry.path } };
  }
  return row;
}

/**
 * The `expectedDifferences` entries (by index) of one file that name no address of either
 * environment, declared or live: a typo there would silently hide nothing, so it is an error.
 */
export function unknownExpectations(
  entries: ExpectedDifference[],
  environments: ComparedEnvironment[],
): number[] {
  const known = new Set(
    environments.flatMap((env) => [
      ...env.declared.flatMap((n) => [n.address, n.group, kindOf(n.address)]),
      ...env.observed.flatMap((n) => (n.address ? [n.address, n.group ?? groupOf(n.address)] : [])),
    ]),
  );
  return entries.flatMap((entry, i) =>
    [...known].some((address) => within(entry.path, address)) ? [] : [i],
  );
}
