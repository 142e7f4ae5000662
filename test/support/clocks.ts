import type { Clock } from "../../src/checks/index.js";

/**
 * A clock that moves only when the code under test sleeps, by exactly what it asked for (plus
 * `lateByMs`, a busy machine waking up late). Work in between takes no time, so how fast the
 * machine is cannot change a deadline's outcome, even against a real server. Only for code with
 * no timeout racing its work (a timeout here would fire at once).
 */
export function steppingClock(options: { lateByMs?: number } = {}): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms + (options.lateByMs ?? 0);
    },
  };
}

/** A clock on which time stands still: no timeout, pause or deadline ever comes. */
export const frozenClock: Clock = {
  now: () => 0,
  sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener("abort", () => resolve())),
};
