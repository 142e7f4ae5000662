import { gitReader } from "../../config/git.js";
import { replaceProblems } from "../../engine/replacing.js";
import { hasChanges } from "../../model/index.js";
import { renderPlanJson } from "../../render/json.js";
import { renderPlanMarkdown } from "../../render/markdown.js";
import { renderPlanText } from "../../render/text.js";
import type { CommandContext } from "../context.js";
import { printDiagnostics } from "../output.js";
import { writeSavedPlan } from "../savedPlan.js";
import { load, planLoaded } from "../workflow.js";
import type { PlanSession } from "../workflow.js";

/** What to plan: part of the file (`--target`, `--exclude`), the file at a commit (`--ref`), how strictly. */
export type ScopeOptions = {
  target?: string[];
  exclude?: string[];
  /** `--replace ADDR`: replaced although nothing forces it (engine/plan.ts). */
  replace?: string[];
  ref?: string;
  strict?: boolean;
};

export type PlanOptions = {
  json?: boolean;
  detailedExitcode?: boolean;
  markdown?: boolean;
  out?: string;
} & ScopeOptions;

/** How the plan names its source: the file, or the file at a git ref. */
export function sourceLabel(file: string, options: ScopeOptions): string {
  return options.ref ? `${file} at ${options.ref}` : file;
}

/** Loads and plans, printing problems; undefined means "stop with exit 1". */
export async function loadAndPlan(
  file: string,
  context: CommandContext,
  options: ScopeOptions = {},
): Promise<PlanSession | undefined> {
  const { global, output, connection } = context;
  const { loaded, diagnostics } = load(file, {
    ...(global.region ? { region: global.region } : {}),
    ...(options.ref ? { read: gitReader(options.ref) } : {}),
  });
  printDiagnostics(output, diagnostics);
  if (!loaded) return undefined;
  const unknown = replaceProblems(options.replace ?? [], loaded.environment.nodes);
  if (unknown.length > 0) {
    printDiagnostics(output, unknown);
    return undefined;
  }
  const session = await planLoaded(loaded, connection, {
    targets: options.target ?? [],
    excludes: options.exclude ?? [],
    ...(options.replace?.length ? { replace: options.replace } : {}),
  });
  if (session.errors.length > 0) {
    printDiagnostics(output, session.errors);
    session.ctx.destroy();
    return undefined;
  }
  if (options.strict && session.wiring.length > 0) {
    printDiagnostics(
      output,
      session.wiring.map((d) => ({ ...d, severity: "error" as const })),
    );
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
  const session = await loadAndPlan(file, context, options);
  if (!session) return 1;
  try {
    const { output } = context;
    const shown = sourceLabel(file, options);
    output.out(
      options.json
        ? renderPlanJson(session.plan)
        : options.markdown
          ? renderPlanMarkdown(session.plan, { file: shown })
          : renderPlanText(session.plan, { palette: output.palette, file: shown }),
    );
    if (options.out) {
      writeSavedPlan(options.out, session, file);
      // stderr, so --json and --markdown output stays clean on stdout.
      output.err(`Saved the plan to ${options.out}. To apply exactly this plan: parity apply ${options.out}`);
    }
    return options.detailedExitcode && hasChanges(session.plan) ? 2 : 0;
  } finally {
    session.ctx.destroy();
  }
}
