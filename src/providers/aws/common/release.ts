import type { Operation } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import { isAwsError, tolerate } from "../errors.js";

export type Release = {
  /** What is awaited, as progress shows it: `snapshot snap-1 to be released`. */
  what: string;
  /** The error that says it is gone already: nothing left to do. */
  notFound: string;
  /** The error that says something still holds it: try again. */
  inUse: string;
  timeoutMs: number;
  intervalMs: number;
};

/**
 * Deletes what AWS keeps busy for a while after its user went (a security group held by
 * terminating instances, the snapshot of an AMI just deregistered): retries while AWS says it is
 * in use, and counts "not found" as done, so a re-run after an interruption converges.
 */
export async function deleteWhenReleased(
  op: Pick<Operation, "signal" | "progress">,
  release: Release,
  remove: () => Promise<unknown>,
): Promise<void> {
  await waitUntil(
    async () => {
      try {
        await tolerate(remove, release.notFound);
        return true;
      } catch (error) {
        if (isAwsError(error, release.inUse)) return undefined;
        throw error;
      }
    },
    {
      what: release.what,
      timeoutMs: release.timeoutMs,
      intervalMs: release.intervalMs,
      signal: op.signal,
      progress: op.progress,
    },
  );
}
