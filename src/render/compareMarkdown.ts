import type { Comparison, ComparisonRow } from "../model/index.js";
import { byKind, cellValue, driftLine, gapLabel, sideNames, summaryLine } from "./compareWords.js";
import { cell, code } from "./markdown.js";

/** The first line of every comment, so a CI job can find and update its earlier comment. */
export function comparisonMarker(c: Comparison): string {
  return `<!-- parity-compare ${c.a.environment}/${c.a.region} ${c.b.environment}/${c.b.region} -->`;
}

function tableRow(row: ComparisonRow, c: Comparison, last: string): string {
  const values = [
    row.kind,
    code(row.address),
    row.path ? code(row.path) : "—",
    code(cellValue(row, "a")),
    code(cellValue(row, "b")),
    gapLabel(row, c),
    last,
  ];
  return `| ${values.map(cell).join(" | ")} |`;
}

/** The parity-gap table as Markdown (a pull-request comment, a runbook page), from the comparison data. */
export function renderComparisonMarkdown(c: Comparison): string {
  const [a, b] = sideNames(c);
  const header = (last: string) => [
    `| kind | address | attribute | ${cell(a)} | ${cell(b)} | gap | ${last} |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  const out = [
    comparisonMarker(c),
    `### parity compare: ${code(b)} against ${code(a)}`,
    "",
    `**${summaryLine(c)}**`,
    "",
    driftLine(c),
    "",
  ];
  if (c.rows.length > 0) {
    out.push(...header("to close it"));
    for (const [, rows] of byKind(c.rows)) for (const row of rows) out.push(tableRow(row, c, row.fix));
    out.push("");
  }
  if (c.expected.length > 0) {
    out.push("<details><summary>Expected differences (declared, not counted)</summary>", "");
    out.push(...header("why"));
    for (const row of c.expected) {
      out.push(tableRow(row, c, `${row.expected?.reason ?? ""} (${row.expected?.file ?? ""})`));
    }
    out.push("", "</details>", "");
  }
  if (c.ignored?.length) {
    out.push(
      "<details><summary>Ignored (ignoreChanges: another writer owns them, not compared)</summary>",
      "",
    );
    out.push(...header("why"));
    for (const row of c.ignored)
      out.push(tableRow(row, c, `${row.ignored?.entry ?? ""} (${row.ignored?.file ?? ""})`));
    out.push("", "</details>", "");
  }
  return out.join("\n");
}
