import { setTimeout as sleep } from "node:timers/promises";

export type WaitOptions = {
  /** What we are waiting for, as shown to the user: "instance running". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  progress?: (message: string) => void;
};

/**
 * Polls until `check` returns a value other than undefined. Reports elapsed time every few polls
 * so long waits (a database restore, a distribution deploying) never look hung.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const started = Date.now();
  const interval = options.intervalMs ?? 2000;
  let lastReport = started;
  for (;;) {
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
      await sleep(interval, undefined, options.signal ? { signal: options.signal } : undefined);
    } catch {
      throw new Error(`stopped waiting for ${options.what} (interrupted)`);
    }
  }
}
