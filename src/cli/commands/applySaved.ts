import { existsSync } from "node:fs";
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
import { applyPlanned } from "../applying.js";
import type { ApplyCommandOptions } from "../applying.js";

function replan(saved: SavedPlan): string {
  return `make a new plan: parity plan ${saved.file} --out PLAN`;
}

/**
 * What the plan applies: the configuration it carries, so it needs no file. When the file it was
 * made from is still where plan read it, and says something else now, the plan is refused: it was
 * reviewed against a file that has since changed.
 */
function plannedConfiguration(saved: SavedPlan, context: CommandContext): { loaded?: Loaded; exit?: number } {
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
  if (existsSync(saved.file)) {
    const { loaded, diagnostics } = load(saved.file, { region: saved.region });
    if (!loaded || loaded.info.environment !== saved.environment) {
      printDiagnostics(output, diagnostics);
      return fail(
        `${saved.file}, which the plan was made from, no longer describes ${saved.environment}; ${replan(saved)}`,
        3,
      );
    }
    if (loaded.text && configDigest(loaded.text.document, loaded.info.region) !== saved.configDigest) {
      return fail(
        `the configuration changed since the plan was made (${saved.file} or a file it extends); ${replan(saved)}`,
        3,
      );
    }
  }
  const { environment, project, region, tags } = saved.configuration;
  const info = {
    environment,
    ...(project ? { project } : {}),
    region,
    tags,
    secrets: process.env,
    planDigest: saved.configDigest,
    ...(saved.configuration.moves ? { moves: saved.configuration.moves } : {}),
  };
  return { loaded: { environment: saved.configuration, info } };
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
  const { saved, text } = readSavedPlan(planPath);
  const { loaded, exit } = plannedConfiguration(saved, context);
  if (!loaded) return exit ?? 1;
  const held = environmentLock(loaded, context.connection);
  try {
    return await withLock(held, currentHolder(sha256(text)), saved.file, context, async (lockLost) => {
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
      return applyPlanned({ ...fresh, plan: saved.plan }, saved.file, options, context, lockLost);
    });
  } finally {
    held.close();
  }
}
