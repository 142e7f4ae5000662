/**
 * Time as the check runner sees it. Injected (see `CheckDeps.clock`) so a test can run a 30 s
 * deadline in no time, and so no outcome depends on how fast the machine is.
 */
export type Clock = {
  /** Milliseconds on a clock that never goes backwards; only differences are meaningful. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

/**
 * The real clock. It looks the timer functions up on every call, so fake timers installed after
 * this module loaded (vitest's `vi.useFakeTimers`) still take effect.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/** A signal that aborts with a `TimeoutError` after `ms` on `clock`; `cancel()` stops the timer. */
export function timeoutSignal(clock: Clock, ms: number): { signal: AbortSignal; cancel(): void } {
  const timeout = new AbortController();
  const cancelled = new AbortController();
  void clock.sleep(ms, cancelled.signal).then(() => {
    if (!cancelled.signal.aborted)
      timeout.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError"));
  });
  return { signal: timeout.signal, cancel: () => cancelled.abort() };
}
