import { systemClock, timeoutSignal } from "./clock.js";
import type { Attempt, CheckDeps } from "./types.js";

/** `${kind.name.attribute}` resolved by the caller; text without one is left alone. */
export function expand(text: string, deps: CheckDeps): string {
  return text.includes("${") && deps.interpolate ? deps.interpolate(text) : text;
}

/** The attempt to report when a value still holds an unresolved `${…}`: retrying cannot help. */
export function unresolved(...values: string[]): Attempt | undefined {
  const left = values.find((v) => v.includes("${"));
  return left === undefined ? undefined : { ok: false, detail: `cannot resolve ${left}`, final: true };
}

/** Why a try failed, in words: the cause's code (ECONNREFUSED, ENOTFOUND…) says more than "fetch failed". */
export function failure(error: unknown, timeoutMs: number): Attempt {
  if (error instanceof Error && error.name === "TimeoutError") {
    return { ok: false, detail: `no answer within ${timeoutMs} ms`, timedOut: true };
  }
  if (error instanceof Error && error.name === "AbortError") return { ok: false, detail: "stopped" };
  const own = (error as { code?: unknown }).code;
  if (typeof own === "string") return { ok: false, detail: `cannot connect (${own})` };
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return { ok: false, detail: `cannot connect (${cause.code})` };
  return { ok: false, detail: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs one try with a signal that aborts when its time is up (on the injected clock) or when the
 * run is stopped; whatever it throws becomes a failed try, described in words.
 */
export async function within(
  deps: CheckDeps,
  timeoutMs: number,
  work: (signal: AbortSignal, elapsedMs: () => number) => Promise<Attempt>,
): Promise<Attempt> {
  const clock = deps.clock ?? systemClock;
  const timeout = timeoutSignal(clock, timeoutMs);
  const signal = AbortSignal.any([timeout.signal, ...(deps.signal ? [deps.signal] : [])]);
  const started = clock.now();
  try {
    return await work(signal, () => Math.round(clock.now() - started));
  } catch (error) {
    return failure(signal.aborted ? signal.reason : error, timeoutMs);
  } finally {
    timeout.cancel();
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts: for node APIs
 * (sockets, resolvers) that take no signal. `stop` releases what `work` holds.
 */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>, stop: () => void): Promise<T> {
  if (signal.aborted) {
    stop();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      stop();
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
