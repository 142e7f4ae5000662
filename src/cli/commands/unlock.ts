import { describeHolder } from "../../engine/lock.js";
import { judgeLock, LOCK_TIMING } from "../../engine/lockVerdict.js";
import { describeAwsFailure } from "../../providers/aws/index.js";
import type { CommandContext } from "../context.js";
import { currentHolder, environmentLock } from "../locking.js";
import { printDiagnostics } from "../output.js";
import { isRunning } from "../processes.js";
import { load } from "../workflow.js";

/**
 * `parity unlock FILE [--force]`: without --force only says who holds the lock (and that nothing
 * needs doing when the next apply would take an abandoned lock over anyway).
 */
export async function unlockCommand(
  file: string,
  options: { force?: boolean },
  context: CommandContext,
): Promise<number> {
  const { global, output, connection } = context;
  const { loaded, diagnostics } = load(file, global.region ? { region: global.region } : {});
  printDiagnostics(output, diagnostics);
  if (!loaded) return 1;
  const held = environmentLock(loaded, connection);
  const { lock } = held;
  const abandonWhen = context.interruption.abort;
  try {
    const holder = await held.during(abandonWhen, () => lock.holder());
    if (!holder) {
      output.out(`${lock.name} is not locked.`);
      return 0;
    }
    if (!options.force) {
      output.err(describeHolder(lock.name, holder));
      const live = { now: new Date(), isRunning, staleAfterMs: LOCK_TIMING.staleAfterMs };
      const verdict = judgeLock(holder, currentHolder(""), live);
      if (verdict.verdict === "abandoned") {
        output.err(`No need to unlock: ${verdict.why}, so the next apply takes the lock over by itself.`);
        return 0;
      }
      output.err(
        `Refusing to unlock without --force. Make sure that run is dead first: unlocking a live apply lets two applies run at once.`,
      );
      return 1;
    }
    await held.during(abandonWhen, () => lock.breakLock());
    output.out(`Unlocked ${lock.name} (it was held by ${holder.who} since ${holder.since}).`);
    return 0;
  } catch (error) {
    throw describeAwsFailure(error, connection.endpoint, "reading");
  } finally {
    held.close();
  }
}
