import type { Operation } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";

/** How long a wait may last and how often it polls: bounds, not estimates. */
export type Patience = { timeoutMs: number; intervalMs: number };

/** Polls on behalf of an operation: its progress shows the elapsed time, a second Ctrl-C stops waiting. */
export function waitFor<T>(
  op: Pick<Operation, "signal" | "progress">,
  what: string,
  patience: Patience,
  check: () => Promise<T | undefined>,
): Promise<T> {
  return waitUntil(check, { what, ...patience, signal: op.signal, progress: op.progress });
}

/**
 * Waits for a change AWS has accepted to take effect, unless `--no-wait` asked to return at once;
 * `meanwhile` tells the user what carries on without them.
 */
export async function settle(
  op: Pick<Operation, "signal" | "progress" | "noWait">,
  what: string,
  patience: Patience,
  check: () => Promise<boolean>,
  meanwhile?: string,
): Promise<void> {
  if (op.noWait) {
    op.progress(`not waiting for ${what} (--no-wait)${meanwhile ? `; ${meanwhile}` : ""}`);
    return;
  }
  await waitFor(op, what, patience, async () => ((await check()) ? true : undefined));
}
