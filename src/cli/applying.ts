import { protectedDestruction, protectionRefusal } from "../engine/protection.js";
import type { ApplyResult } from "../engine/apply.js";
import { hasChanges, isActive, secretSources } from "../model/index.js";
import { renderPlanText } from "../render/text.js";
import { runAndReportChecks } from "./commands/check.js";
import { confirm } from "./confirm.js";
import type { CommandContext } from "./context.js";
import { printFailure } from "./output.js";
import type { Output } from "./output.js";
import type { ScopeOptions } from "./commands/plan.js";
import { progressSink } from "./progress.js";
import { applySession, planLoaded } from "./workflow.js";
import type { PlanSession } from "./workflow.js";

export type ApplyCommandOptions = {
  autoApprove?: boolean;
  allowDestroy?: boolean;
  concurrency?: number;
  wait?: boolean;
  /** false with --no-checks: skip the smoke checks after a successful apply. */
  checks?: boolean;
} & ScopeOptions;

function printSummary(output: Output, result: ApplyResult): void {
  const p = output.palette;
  const parts = [`${result.done.length} done`];
  if (result.failed.length) parts.push(p.remove(`${result.failed.length} failed`));
  if (result.skipped.length) parts.push(`${result.skipped.length} skipped`);
  if (result.notStarted.length) parts.push(`${result.notStarted.length} not started`);
  output.out(p.bold(`Apply: ${parts.join(", ")}.`));
  for (const f of result.failed) output.out(p.remove(`  ✗ ${f.address}: ${f.error}`));
  for (const s of result.skipped) output.out(`  - ${s.address}: skipped because ${s.because}`);
  for (const n of result.notStarted) output.out(`  - ${n}: not started`);
  if (result.failed.length || result.skipped.length || result.notStarted.length) {
    output.out("Running apply again resumes: it plans from the live state and finishes what is left.");
  }
}

/** Asks for confirmation the way the plan deserves; false means "do nothing". */
async function approved(
  session: PlanSession,
  options: ApplyCommandOptions,
  output: Output,
  signal: AbortSignal,
): Promise<boolean | "no-tty"> {
  if (options.autoApprove) return true;
  if (!output.isTTY) return "no-tty";
  const destructive = session.plan.changes.some((c) => c.action === "delete" || c.action === "replace");
  if (destructive) {
    const name = session.info.environment;
    return confirm(
      `This plan destroys or replaces resources. Type the environment name (${name}) to apply: `,
      name,
      signal,
    );
  }
  return confirm("Apply these changes? Only 'yes' will be accepted: ", "yes", signal);
}

/**
 * Runs a plan's changes; resolves with the walk's result. A first Ctrl-C starts nothing new, a
 * second one (or SIGTERM) also abandons the waits and calls in flight (see interruption.ts). A
 * lost lock stops the walk the way the first Ctrl-C does: nothing new starts, calls in flight finish.
 */
export async function runApply(
  session: PlanSession,
  options: ApplyCommandOptions,
  context: Pick<CommandContext, "output" | "interruption">,
  lockLost?: AbortSignal,
): Promise<ApplyResult> {
  const { output, interruption } = context;
  const stop = lockLost ? AbortSignal.any([interruption.stop, lockLost]) : interruption.stop;
  const progress = progressSink(output);
  try {
    return await interruption.walk(() =>
      applySession(session, {
        concurrency: options.concurrency ?? 10,
        events: progress.sink,
        stop,
        abandonWaits: interruption.abort,
        allowDestroy: options.allowDestroy === true,
        noWait: options.wait === false,
      }),
    );
  } finally {
    progress.stop();
  }
}

/** The variables the plan's secrets are read from that are not set now: apply cannot write them. */
function unsetSecrets(session: PlanSession): string[] {
  const changing = session.plan.changes.filter((c) => c.action !== "no-op").map((c) => c.after);
  return secretSources(changing).filter((name) => session.info.secrets[name] === undefined);
}

/** Shows the plan, asks, walks it and verifies. Takes over `session.ctx` (destroys it). */
export async function applyPlanned(
  session: PlanSession,
  file: string,
  options: ApplyCommandOptions,
  context: CommandContext,
  lockLost?: AbortSignal,
): Promise<number> {
  const { output } = context;
  try {
    const refusal = protectionRefusal(session.plan, options.allowDestroy === true);
    if (refusal) {
      output.out(renderPlanText(session.plan, { palette: output.palette, file }));
      output.err(output.palette.remove(refusal));
      return 1;
    }
    if (!hasChanges(session.plan)) {
      output.out(renderPlanText(session.plan, { palette: output.palette, file }));
      return 0;
    }
    const unset = unsetSecrets(session);
    if (unset.length) {
      output.out(renderPlanText(session.plan, { palette: output.palette, file }));
      output.err(
        `${output.palette.remove("error:")} ${unset.map((v) => `$${v}`).join(", ")} ${unset.length === 1 ? "is" : "are"} not set; ` +
          "apply reads secrets from the environment: export them and run apply again (nothing was changed)",
      );
      return 1;
    }
    output.out(
      renderPlanText(session.plan, {
        palette: output.palette,
        file,
        allowDestroy: options.allowDestroy === true,
      }),
    );
    const ok = await approved(session, options, output, context.interruption.abort);
    if (ok === "no-tty") {
      output.err(
        "error: refusing to apply without a terminal to confirm on; pass --auto-approve to apply unattended.",
      );
      return 1;
    }
    if (!ok) {
      output.err("Apply cancelled; nothing was changed.");
      return 1;
    }
    if (protectedDestruction(session.plan).length)
      output.out(output.palette.bold("Protected resources will be destroyed or replaced (--allow-destroy)."));
    const result = await runApply(session, options, context, lockLost);
    printSummary(output, result);
    const clean = result.failed.length === 0 && result.notStarted.length === 0 && result.skipped.length === 0;
    if (!clean) return 1;
    const { again, converged } = await verify(file, session, context);
    try {
      if (!converged) return 1;
      if (options.checks === false) return 0;
      return (await runAndReportChecks(again, file, output, context.interruption.abort)) ? 0 : 1;
    } finally {
      again.ctx.destroy();
    }
  } catch (error) {
    printFailure(output, error);
    return 1;
  } finally {
    session.ctx.destroy();
  }
}

/**
 * After the walk, re-read what the file names and report anything that still differs; the caller
 * destroys the session. Not converged is a failure: every operation answered, yet the account
 * does not match the file, and exit 0 would tell a pipeline the opposite.
 */
async function verify(
  file: string,
  session: PlanSession,
  context: CommandContext,
): Promise<{ again: PlanSession; converged: boolean }> {
  const { output } = context;
  // A replacement `--replace` asked for is done once: the check after it asks for none.
  const { replace: _done, ...scope } = session.scope;
  const again = await planLoaded(
    { environment: session.environment, info: session.info },
    context.connection,
    scope,
  );
  const left = again.plan.changes.filter(isActive);
  if (left.length === 0) {
    output.out(output.palette.add(`Converged: ${file} matches the live state.`));
    return { again, converged: true };
  }
  output.out(
    output.palette.note(
      "Still different after apply (AWS may apply these later, or something changed them):",
    ),
  );
  for (const c of left) {
    const paths = c.attributes.map((a) => a.path).join(", ");
    output.out(`  ${c.address}: ${c.action}${paths ? ` (${paths})` : ""}`);
  }
  const count = `${left.length} resource${left.length === 1 ? "" : "s"}`;
  output.err(
    `${output.palette.remove("error:")} apply did not converge: re-planning after it still shows changes to ${count}; ` +
      `see them with parity plan ${file}, then apply again`,
  );
  return { again, converged: false };
}
