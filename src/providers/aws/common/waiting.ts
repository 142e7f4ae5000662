import type { Operation } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import { isAwsError, tolerate } from "../errors.js";

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

/** What AWS says while something the same apply is letting go of still holds a resource. */
export type Release = Patience & {
  /** What is awaited, as progress shows it: `snapshot snap-1 to be released`. */
  what: string;
  /** The error that says it is gone already: nothing left to do. */
  notFound: string;
  /** The errors that say something still holds it: try again. */
  inUse: string[];
};

/**
 * Deletes what AWS keeps busy for a while after its user went (a security group held by
 * terminating instances, a target group a listener is being moved off, the snapshot of an AMI just
 * deregistered): retries while AWS says it is in use, and counts "not found" as done, so a re-run
 * after an interruption converges.
 */
export async function deleteWhenReleased(
  op: Pick<Operation, "signal" | "progress">,
  release: Release,
  remove: () => Promise<unknown>,
): Promise<void> {
  const { what, notFound, inUse, ...patience } = release;
  await waitFor(op, what, patience, async () => {
    try {
      await tolerate(remove, notFound);
      return true;
    } catch (error) {
      if (isAwsError(error, ...inUse)) return undefined;
      throw error;
    }
  });
}
