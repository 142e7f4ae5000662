import { configDigest, sha256 } from "../../engine/digest.js";
import { isStale, staleness } from "../../engine/savedPlan.js";
import type { SavedPlan } from "../../model/savedPlan.js";
import { renderStaleness } from "../../render/stale.js";
import type { CommandContext } from "../context.js";
import { currentHolder, environmentLock, withLock } from "../locking.js";
import { printDiagnostics } from "../output.js";
import { readSavedPlan } from "../savedPlan.js";
import { load, planLoaded } from "../workflow.js";
import type { Loaded } from "../workflow.js";
import type { ApplyCommandOptions } from "./apply.js";
import { applyPlanned } from "./apply.js";

function replan(saved: SavedPlan): string {
  return `make a new plan: parity plan ${saved.file} --out PLAN`;
}

/** Loads the file the plan was made from and proves it is the same configuration; else why not. */
function sameConfiguration(saved: SavedPlan, context: CommandContext): { loaded?: Loaded; exit?: number } {
  const { output } = context;
  const fail = (message: string, exit: number) => {
    output.err(`${output.palette.remove("error:")} ${message}`);
    return { exit };
  };
  if (context.global.region && context.global.region !== saved.region) {
    return fail(
      `this plan was made for ${saved.environment} in ${saved.region}; it cannot be applied to ${context.global.region}`,
      1,
    );
  }
  const { loaded, diagnostics } = load(saved.file, { region: saved.region });
  printDiagnostics(output, diagnostics);
  if (!loaded) {
    return fail(
      `cannot load ${saved.file}, which the plan was made from (paths are relative to where plan ran)`,
      1,
    );
  }
  if (loaded.info.environment !== saved.environment) {
    return fail(
      `this plan was made for environment ${saved.environment}, but ${saved.file} now describes ${loaded.info.environment}; ${replan(saved)}`,
      3,
    );
  }
  if (configDigest(loaded.environment.document, loaded.info.region) !== saved.configDigest) {
    return fail(
      `the configuration changed since the plan was made (${saved.file} or a file it extends); ${replan(saved)}`,
      3,
    );
  }
  return { loaded };
}

/**
 * `parity apply PLAN`: under the lock, re-observe; if anything the plan depends on moved, refuse
 * (exit 3) and change nothing; else apply exactly the saved changes against the fresh state.
 * Secrets are read from the environment again: a plan file never holds them.
 */
export async function applySavedPlanCommand(
  planPath: string,
  options: ApplyCommandOptions,
  context: CommandContext,
): Promise<number> {
  const { output } = context;
  if (options.target?.length || options.exclude?.length || options.ref) {
    output.err(
      `${output.palette.remove("error:")} --target, --exclude and --ref shape a plan when it is made; ${planPath} is applied as saved`,
    );
    return 1;
  }
  const { saved, text } = readSavedPlan(planPath);
  const { loaded, exit } = sameConfiguration(saved, context);
  if (!loaded) return exit ?? 1;
  const { lock, close } = environmentLock(loaded, context.connection);
  try {
    return await withLock(lock, currentHolder(sha256(text)), saved.file, context, async () => {
      const fresh = await planLoaded(loaded, context.connection, saved.scope);
      if (fresh.errors.length > 0) {
        printDiagnostics(output, fresh.errors);
        fresh.ctx.destroy();
        return 1;
      }
      const stale = staleness(saved, fresh);
      if (isStale(stale)) {
        fresh.ctx.destroy();
        output.err(
          `${output.palette.remove("error:")} the live state moved since the plan was made; nothing was changed:`,
        );
        for (const line of renderStaleness(stale)) output.err(`  ${line}`);
        output.err(`Review the change, then ${replan(saved)}.`);
        return 3;
      }
      return applyPlanned({ ...fresh, plan: saved.plan }, saved.file, options, context);
    });
  } finally {
    close();
  }
}
