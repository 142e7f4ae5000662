import type { Comparison, ComparedSide, ComparisonRow } from "../model/index.js";
import { formatValue } from "./values.js";

/** The names the comparison gave each side. */
export function sideNames(c: Comparison): [string, string] {
  return [c.a.name, c.b.name];
}

export function gapLabel(row: ComparisonRow, c: Comparison): string {
  const [, b] = sideNames(c);
  return row.gap === "differs" ? "differs" : row.gap === "missing-in-b" ? `missing in ${b}` : `only in ${b}`;
}

/** A value cell; a whole resource's cell says where it is ("present", "declared, not created"), unquoted. */
export function cellValue(row: ComparisonRow, side: "a" | "b"): string {
  const value = row[side];
  if (value === undefined) return "(unset)";
  return !row.path && typeof value === "string" ? value : formatValue(value);
}

function driftOf(side: ComparedSide, name: string): string {
  if (side.changes === 0) return `${name} matches its file`;
  const n = `${side.changes} change${side.changes === 1 ? "" : "s"}`;
  return `${name} has ${n} — run \`parity plan ${side.file}\``;
}

/** Whether each side has drifted from its own file, so a reader knows where a gap lives. */
export function driftLine(c: Comparison): string {
  const [a, b] = sideNames(c);
  if (c.a.changes === 0 && c.b.changes === 0) return `${a} and ${b} both match their files.`;
  return `${driftOf(c.a, a)}; ${driftOf(c.b, b)}.`;
}

export function summaryLine(c: Comparison): string {
  const [a, b] = sideNames(c);
  const { differences, resources, expected } = c.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const head =
    differences === 0
      ? `${b} has the same shape as ${a}`
      : `${b} differs from ${a} in ${plural(differences, "place")} across ${plural(resources, "resource")}`;
  const aside = [
    ...(expected > 0 ? [`${plural(expected, "expected difference")} not counted`] : []),
    ...(c.summary.ignored ? [`${c.summary.ignored} ignored`] : []),
  ];
  return aside.length > 0 ? `${head} (${aside.join(", ")}).` : `${head}.`;
}

/** Rows by kind, in the order the comparison sorted them. */
export function byKind(rows: ComparisonRow[]): [string, ComparisonRow[]][] {
  const groups = new Map<string, ComparisonRow[]>();
  for (const row of rows) groups.set(row.kind, [...(groups.get(row.kind) ?? []), row]);
  return [...groups];
}
