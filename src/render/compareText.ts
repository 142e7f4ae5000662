import type { Comparison, ComparisonRow } from "../model/index.js";
import type { Palette } from "./palette.js";
import { plain } from "./palette.js";
import { byKind, cellValue, driftLine, gapLabel, sideNames, summaryLine } from "./compareWords.js";

/** A cell never pushes the table wider than this; the full value is in --json. */
const WIDEST = 44;

function clip(text: string): string {
  return text.length > WIDEST ? `${text.slice(0, WIDEST - 1)}…` : text;
}

function paintFor(row: ComparisonRow, p: Palette): (text: string) => string {
  if (row.expected) return p.dim;
  return row.gap === "differs" ? p.change : row.gap === "missing-in-b" ? p.remove : p.add;
}

function cells(row: ComparisonRow, c: Comparison): string[] {
  return [
    row.address,
    row.path ?? "—",
    clip(cellValue(row, "a")),
    clip(cellValue(row, "b")),
    gapLabel(row, c),
  ];
}

/** The parity-gap table, built only from the comparison data, so it can never disagree with --json. */
export function renderComparisonText(c: Comparison, options: { palette?: Palette } = {}): string {
  const p = options.palette ?? plain;
  const [a, b] = sideNames(c);
  const header = ["address", "attribute", a, b, "gap"];
  const all = [...c.rows, ...c.expected, ...(c.ignored ?? [])];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...all.map((row) => (cells(row, c)[i] ?? "").length)),
  );
  const line = (values: string[]) =>
    (
      "  " + values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join("  ")
    ).trimEnd();

  const out = [
    p.bold(`Comparing ${b} (${c.b.file}, ${c.b.region}) with ${a} (${c.a.file}, ${c.a.region})`),
    driftLine(c),
    "",
  ];
  for (const [kind, rows] of byKind(c.rows)) {
    out.push(p.bold(kind), p.dim(line(header)));
    for (const row of rows) out.push(paintFor(row, p)(line(cells(row, c))), p.note(`    → ${row.fix}`));
    out.push("");
  }
  if (c.expected.length > 0) {
    out.push(p.dim("Expected differences (declared, not counted)"), p.dim(line(header)));
    for (const row of c.expected) {
      out.push(
        p.dim(line(cells(row, c))),
        p.dim(`    ${row.expected?.reason ?? ""} (${row.expected?.file ?? ""})`),
      );
    }
    out.push("");
  }
  if (c.ignored?.length) {
    out.push(p.dim("Ignored (ignoreChanges: another writer owns them, not compared)"), p.dim(line(header)));
    for (const row of c.ignored) {
      out.push(
        p.dim(line(cells(row, c))),
        p.dim(`    ${row.ignored?.entry ?? ""} (${row.ignored?.file ?? ""})`),
      );
    }
    out.push("");
  }
  out.push(p.bold(summaryLine(c)));
  return out.join("\n") + "\n";
}
