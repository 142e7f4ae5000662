import { hasChanges } from "../../model/index.js";
import { renderPlanJson } from "../../render/json.js";
import { renderPlanText } from "../../render/text.js";
import type { CommandContext } from "../context.js";
import { printDiagnostics } from "../output.js";
import { load, planLoaded } from "../workflow.js";
import type { PlanSession } from "../workflow.js";

export type PlanOptions = { json?: boolean; detailedExitcode?: boolean };

/** Loads and plans, printing problems; undefined means "stop with exit 1". */
export async function loadAndPlan(file: string, context: CommandContext): Promise<PlanSession | undefined> {
  const { global, output, connection } = context;
  const { loaded, diagnostics } = load(file, global.region ? { region: global.region } : {});
  printDiagnostics(output, diagnostics);
  if (!loaded) return undefined;
  const session = await planLoaded(loaded, connection);
  if (session.errors.length > 0) {
    printDiagnostics(output, session.errors);
    session.ctx.destroy();
    return undefined;
  }
  return session;
}

export async function planCommand(
  file: string,
  options: PlanOptions,
  context: CommandContext,
): Promise<number> {
  const session = await loadAndPlan(file, context);
  if (!session) return 1;
  try {
    const { output } = context;
    output.out(
      options.json
        ? renderPlanJson(session.plan)
        : renderPlanText(session.plan, { palette: output.palette, file }),
    );
    return options.detailedExitcode && hasChanges(session.plan) ? 2 : 0;
  } finally {
    session.ctx.destroy();
  }
}
