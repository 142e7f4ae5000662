import type { Output } from "./output.js";

/**
 * How a run answers Ctrl-C and SIGTERM. During an apply walk the first Ctrl-C starts nothing new
 * and lets the calls in flight finish (each ends within its timeout); a second Ctrl-C, SIGTERM,
 * or Ctrl-C at any other moment abandons the calls in flight. Either way the command unwinds
 * normally, so the lock is released in its `finally`.
 */
export type Interruption = {
  /** Aborted to start nothing new. */
  readonly stop: AbortSignal;
  /** Aborted to abandon the calls in flight (it implies `stop`). */
  readonly abort: AbortSignal;
  /** The signal that interrupted the run, if one did. */
  received(): NodeJS.Signals | undefined;
  /** Runs an apply walk: while it runs, a first Ctrl-C only stops new work. */
  walk<T>(body: () => Promise<T>): Promise<T>;
  dispose(): void;
};

export type SignalSource = {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
};

/**
 * After calls are abandoned, how long the command may take to unwind (release the lock, print
 * the summary) before the process exits anyway. The lock release has its own, shorter bound.
 */
export const UNWIND_DEADLINE_MS = 30_000;

export function watchInterrupts(
  output: Output,
  source: SignalSource = process,
  exit: (code: number) => void = (code) => process.exit(code),
): Interruption {
  const stop = new AbortController();
  const abort = new AbortController();
  let walking = 0;
  let received: NodeJS.Signals | undefined;
  let deadline: NodeJS.Timeout | undefined;

  const abandon = (signal: NodeJS.Signals) => {
    stop.abort(signal);
    abort.abort(new Error(`interrupted by ${signal}`));
    output.err(
      `\nInterrupted${signal === "SIGTERM" ? " (SIGTERM)" : ""}: abandoning the AWS calls in flight.`,
    );
    deadline = setTimeout(() => {
      output.err(
        "error: the run did not stop in time; exiting now. If the apply lock remains: parity unlock FILE --force",
      );
      exit(1);
    }, UNWIND_DEADLINE_MS);
    deadline.unref();
  };

  const onSignal = (signal: NodeJS.Signals) => {
    received = signal;
    if (abort.signal.aborted) {
      // A third signal: the user will not wait for the lock's release.
      output.err("\nInterrupted again: exiting now. If the apply lock remains: parity unlock FILE --force");
      exit(1);
      return;
    }
    if (signal === "SIGINT" && walking > 0 && !stop.signal.aborted) {
      output.err(
        "\nInterrupted: starting nothing new; waiting for operations in flight (Ctrl-C again to abandon them).",
      );
      stop.abort(signal);
      return;
    }
    abandon(signal);
  };
  source.on("SIGINT", onSignal);
  source.on("SIGTERM", onSignal);

  return {
    stop: stop.signal,
    abort: abort.signal,
    received: () => received,
    async walk(body) {
      walking++;
      try {
        return await body();
      } finally {
        walking--;
      }
    },
    dispose() {
      source.off("SIGINT", onSignal);
      source.off("SIGTERM", onSignal);
      if (deadline) clearTimeout(deadline);
    },
  };
}
