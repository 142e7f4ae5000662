import type { Comparison } from "../model/index.js";

/** The published `--json` shape (schemas/compare.schema.json): the comparison data itself, secrets already masked. */
export function renderComparisonJson(comparison: Comparison): string {
  return JSON.stringify(comparison, null, 2) + "\n";
}
