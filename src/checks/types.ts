import type { Value } from "../model/index.js";
import type { Clock } from "./clock.js";

export type { HttpCheckSpec, TargetHealthCheckSpec } from "./schema.js";

/** A check as the loaded environment carries it: its name and the whole entry. */
export type Check = { name: string; spec: { [key: string]: Value } };

export type CheckResult = {
  name: string;
  ok: boolean;
  /** What the last attempt saw: "200 in 35 ms", "expected status 200, got 503", "1 of 2 targets healthy". */
  detail: string;
  attempts: number;
  elapsedMs: number;
};

export type TargetCount = { healthy: number; total: number };

/** Everything a check touches outside this module, injected so the runner stays testable. */
export type CheckDeps = {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** The ARN of a target group reference (`targetGroups.web`), or undefined when it does not exist. */
  resolveTargetGroupArn?: (ref: string) => string | undefined | Promise<string | undefined>;
  countHealthy?: (targetGroupArn: string) => Promise<TargetCount>;
  /** Resolves `${kind.name.attribute}` in URLs, headers and bodies against live outputs. */
  interpolate?: (text: string) => string;
  /** Pause between attempts; default 5 s. */
  intervalMs?: number;
  /** Longest wait for one HTTP answer; default 10 s (never past the deadline). */
  attemptTimeoutMs?: number;
  /** Deadlines, pauses and timeouts are measured on this; default the system clock. */
  clock?: Clock;
  /** Stops every check (Ctrl-C): each reports what it saw so far. */
  signal?: AbortSignal;
  /** Called after each failed attempt that will be retried. */
  progress?: (name: string, message: string) => void;
};

/** One try: passed or not, and what it saw. */
export type Attempt = {
  ok: boolean;
  detail: string;
  /** Retrying cannot help (a target group that does not exist). */ final?: boolean;
  /** No answer came within the time the try was given. */
  timedOut?: boolean;
};
