import { ParityError } from "../../model/index.js";
import { applyPlanned } from "../applying.js";
import type { ApplyCommandOptions } from "../applying.js";
import type { CommandContext } from "../context.js";
import { withFileLock } from "../locking.js";
import { isSavedPlanFile } from "../savedPlan.js";
import { applySavedPlanCommand } from "./applySaved.js";
import { loadAndPlan, sourceLabel } from "./plan.js";

/** `parity apply FILE|PLAN`: a saved plan is recognised by its content; either way under the lock. */
export async function applyCommand(
  file: string,
  options: ApplyCommandOptions,
  context: CommandContext,
): Promise<number> {
  if (isSavedPlanFile(file)) {
    // A saved plan is applied exactly as reviewed: narrowing or re-sourcing it belongs on `plan`.
    if (options.target?.length || options.exclude?.length || options.ref)
      throw new ParityError(
        "--target, --exclude and --ref choose what to plan; a saved plan is applied as it was planned",
        `pass them to parity plan ... --out ${file}, then apply that plan`,
      );
    return applySavedPlanCommand(file, options, context);
  }
  return withFileLock(file, context, async (lockLost) => {
    const session = await loadAndPlan(file, context, options);
    if (!session) return 1;
    return applyPlanned(session, sourceLabel(file, options), options, context, lockLost);
  });
}
