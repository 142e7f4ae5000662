import type { ComparisonRow, DesiredNode } from "../model/index.js";
import { COUNT } from "./ignore.js";

/** One side as this needs it: its file, and what its file declares. */
export type IgnoringSide = {
  file: string;
  declared: Pick<DesiredNode, "address" | "group" | "ignoreChanges">[];
};

function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/**
 * The row marked ignored when either file's `ignoreChanges` covers it: an attribute path of the
 * resource (or all of it, `""`), or a member beyond the other's count where `count` is ignored.
 * Undefined when neither does: the row counts as usual.
 */
export function ignoredRow(row: ComparisonRow, sides: IgnoringSide[]): ComparisonRow | undefined {
  for (const side of sides) {
    const nodes = side.declared.filter((n) => n.address === row.address || n.group === row.group);
    const path = nodes
      .flatMap((n) => (n.address === row.address ? (n.ignoreChanges ?? []) : []))
      .find((p) => p === "" || (row.path !== undefined && within(row.path, p)));
    const count =
      row.path === undefined &&
      row.address.startsWith(`${row.group}[`) &&
      nodes.some((n) => n.ignoreChanges?.includes(COUNT));
    if (path !== undefined || count) {
      const what = count ? COUNT : path || "(all of it)";
      return { ...row, ignored: { file: side.file, entry: `${row.group}.ignoreChanges: ${what}` } };
    }
  }
  return undefined;
}
