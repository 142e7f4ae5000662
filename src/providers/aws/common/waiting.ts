import type { Operation } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import { isAwsError } from "../errors.js";

/** What an apply-time wait is for, as the user reads it, and how long and how often it polls. */
export type Wait = { what: string; timeoutMs: number; intervalMs: number };

/** Polls `check` until it returns a value, on the operation's progress line and abort signal. */
export function waitFor<T>(
  op: Pick<Operation, "signal" | "progress">,
  wait: Wait,
  check: () => Promise<T | undefined>,
): Promise<T> {
  return waitUntil(check, { ...wait, signal: op.signal, progress: op.progress });
}

/**
 * Runs `call` again while AWS answers one of `busy`: something the same apply is moving away or
 * terminating (a listener, an instance) still holds the resource for a while.
 */
export async function retryWhileBusy(
  op: Pick<Operation, "signal" | "progress">,
  wait: Wait & { busy: string[] },
  call: () => Promise<unknown>,
): Promise<void> {
  const { busy, ...timing } = wait;
  await waitFor(op, timing, async () => {
    try {
      await call();
      return true;
    } catch (error) {
      if (isAwsError(error, ...busy)) return undefined;
      throw error;
    }
  });
}
