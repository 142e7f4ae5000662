import type { Operation } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";

/** How long a wait may last and how often it polls: bounds, not estimates. */
export type Patience = { timeoutMs: number; intervalMs: number };

/**
 * Polls on behalf of an operation until `check` returns a value. The operation's interrupt stops
 * the wait and its progress line shows the elapsed time, so every long wait behaves the same.
 */
export function waitFor<T>(
  op: Pick<Operation, "signal" | "progress">,
  what: string,
  patience: Patience,
  check: () => Promise<T | undefined>,
): Promise<T> {
  return waitUntil(check, { what, ...patience, signal: op.signal, progress: op.progress });
}
