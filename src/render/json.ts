import type { Plan } from "../model/index.js";

/** The published `--json` shape (schemas/plan.schema.json): the plan data itself, already masked. */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + "\n";
}
