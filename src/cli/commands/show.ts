import { renderPlanJson } from "../../render/json.js";
import { renderPlanMarkdown } from "../../render/markdown.js";
import { renderPlanText } from "../../render/text.js";
import type { CommandContext } from "../context.js";
import { readSavedPlan } from "../savedPlan.js";

export type ShowOptions = { json?: boolean; markdown?: boolean };

/** `parity show PLAN`: renders a saved plan; reads nothing live and takes no lock. */
export function showCommand(planPath: string, options: ShowOptions, { output }: CommandContext): number {
  const { saved } = readSavedPlan(planPath);
  if (options.json) output.out(renderPlanJson(saved.plan));
  else if (options.markdown) output.out(renderPlanMarkdown(saved.plan, { file: saved.file }));
  else {
    output.out(
      output.palette.dim(
        `Saved plan for ${saved.environment} (${saved.region}) from ${saved.file}, made ${saved.createdAt}.\n`,
      ),
    );
    output.out(renderPlanText(saved.plan, { palette: output.palette, file: saved.file }));
  }
  return 0;
}
