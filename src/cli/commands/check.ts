import { interpolatorFrom, runChecks, targetGroupArnsFrom } from "../../checks/index.js";
import type { CheckDeps } from "../../checks/index.js";
import { countHealthyTargets, zoneRecordsFor } from "../../providers/aws/index.js";
import type { CommandContext } from "../context.js";
import type { Output } from "../output.js";
import type { PlanSession } from "../workflow.js";
import { loadAndPlan } from "./plan.js";

/** What the checks read from the live environment a session planned against. */
export function liveCheckDeps(session: PlanSession): CheckDeps {
  return {
    resolveTargetGroupArn: targetGroupArnsFrom(session.observed),
    countHealthy: (arn) => countHealthyTargets(session.ctx, arn),
    interpolate: interpolatorFrom(session.observed, session.info),
    // An endpoint override points at something that is not public AWS (an emulator): no resolver
    // serves its zones, so dns checks read the zone's records instead.
    ...(session.ctx.options.endpoint
      ? { zoneRecords: (name: string) => zoneRecordsFor(session.ctx, name) }
      : {}),
  };
}

/**
 * Runs the file's smoke checks against what discovery saw and prints one line per check.
 * On failure it says how to roll back, because that is the next thing the user needs.
 */
export async function runAndReportChecks(
  session: PlanSession,
  file: string,
  output: Output,
  signal?: AbortSignal,
): Promise<boolean> {
  const checks = session.environment.checks;
  if (checks.length === 0) return true;
  const p = output.palette;
  output.out(p.bold(`Running ${checks.length} check${checks.length === 1 ? "" : "s"}…`));
  const results = await runChecks(checks, {
    ...liveCheckDeps(session),
    progress: (name, message) => output.out(p.dim(`  ${name}: ${message}; retrying`)),
    ...(signal ? { signal } : {}),
  });
  for (const r of results) {
    const mark = r.ok ? p.add("✓") : p.remove("✗");
    output.out(
      `  ${mark} ${r.name}: ${r.detail} (${r.attempts} attempt${r.attempts === 1 ? "" : "s"}, ${(r.elapsedMs / 1000).toFixed(1)}s)`,
    );
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return true;
  output.err(
    p.remove(
      `${failed.length} check${failed.length === 1 ? "" : "s"} failed: ${failed.map((f) => f.name).join(", ")}.`,
    ),
  );
  output.err(
    `To roll back: revert the change to ${file} (git revert <commit>) and run: parity apply ${file}`,
  );
  return false;
}

export async function checkCommand(file: string, context: CommandContext): Promise<number> {
  const session = await loadAndPlan(file, context);
  if (!session) return 1;
  try {
    if (session.environment.checks.length === 0) {
      context.output.out(`${file} defines no checks.`);
      return 0;
    }
    return (await runAndReportChecks(session, file, context.output, context.interruption.abort)) ? 0 : 1;
  } finally {
    session.ctx.destroy();
  }
}
