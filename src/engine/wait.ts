import { setTimeout as sleep } from "node:timers/promises";

export type WaitOptions = {
  /** What we are waiting for, as shown to the user: "instance running". */
  what: string;
  timeoutMs: number;
  /** The wait between polls, or a schedule: the wait after `polls` unanswered ones (a backoff). */
  intervalMs?: number | ((polls: number) => number);
  signal?: AbortSignal;
  progress?: (message: string) => void;
  /** The clock's sleep; unit tests pass one that records the waits instead of taking them. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

const realSleep = async (ms: number, signal?: AbortSignal) => {
  await sleep(ms, undefined, signal ? { signal } : undefined);
};

/**
 * Polls until `check` returns a value other than undefined. Reports elapsed time every few polls
 * so long waits (a database restore, a distribution deploying) never look hung.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const started = Date.now();
  const interval = options.intervalMs ?? 2000;
  const pause = options.sleep ?? realSleep;
  let lastReport = started;
  for (let polls = 1; ; polls++) {
    const value = await check();
    if (value !== undefined) return value;
    const elapsed = Date.now() - started;
    if (elapsed > options.timeoutMs) {
      throw new Error(`timed out after ${Math.round(elapsed / 1000)}s waiting for ${options.what}`);
    }
    if (options.signal?.aborted) throw new Error(`stopped waiting for ${options.what} (interrupted)`);
    if (Date.now() - lastReport >= 5000) {
      options.progress?.(`waiting for ${options.what} (${Math.round(elapsed / 1000)}s elapsed)`);
      lastReport = Date.now();
    }
    try {
      await pause(typeof interval === "number" ? interval : interval(polls), options.signal);
    } catch {
      throw new Error(`stopped waiting for ${options.what} (interrupted)`);
    }
  }
}
