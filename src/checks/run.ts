import { setTimeout as sleep } from "node:timers/promises";
import { attemptHttp } from "./http.js";
import { attemptTargetHealth } from "./targetHealth.js";
import type {
  Attempt,
  Check,
  CheckDeps,
  CheckResult,
  HttpCheckSpec,
  TargetHealthCheckSpec,
} from "./types.js";

/** Defaults when the file sets no deadline: a site answers quickly; new targets need a few health checks. */
const DEFAULT_DEADLINE_SECONDS = { http: 30, targetHealth: 300 };
const DEFAULT_INTERVAL_MS = 5000;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

type Plan = {
  /** Tries allowed; Infinity means "until the deadline". */
  maxAttempts: number;
  deadlineMs: number;
  attempt: (remainingMs: number) => Promise<Attempt>;
};

function planFor(check: Check, deps: CheckDeps): Plan | string {
  const attemptTimeout = deps.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  if (check.spec.http) {
    const spec = check.spec.http as unknown as HttpCheckSpec;
    return {
      maxAttempts: spec.retries === undefined ? Infinity : spec.retries + 1,
      deadlineMs: (spec.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS.http) * 1000,
      attempt: (remaining) => attemptHttp(spec, deps, Math.max(1, Math.min(attemptTimeout, remaining))),
    };
  }
  if (check.spec.targetHealth) {
    const spec = check.spec.targetHealth as unknown as TargetHealthCheckSpec;
    return {
      maxAttempts: Infinity,
      deadlineMs: (spec.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS.targetHealth) * 1000,
      attempt: () => attemptTargetHealth(spec, deps),
    };
  }
  return "the check has neither http nor targetHealth";
}

/**
 * Runs one check: tries until it passes, its retries are used up, or its deadline passes,
 * whichever comes first. The pause between tries never runs past the deadline.
 */
export async function runCheck(check: Check, deps: CheckDeps = {}): Promise<CheckResult> {
  const started = Date.now();
  const result = (ok: boolean, detail: string, attempts: number): CheckResult => ({
    name: check.name,
    ok,
    detail,
    attempts,
    elapsedMs: Date.now() - started,
  });
  const plan = planFor(check, deps);
  if (typeof plan === "string") return result(false, plan, 0);
  const interval = deps.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (deps.signal?.aborted) return result(false, "stopped", 0);
  let attempts = 0;
  let last: Attempt | undefined;
  for (;;) {
    const remaining = plan.deadlineMs - (Date.now() - started);
    if (last && (remaining <= 0 || deps.signal?.aborted)) {
      const why = deps.signal?.aborted
        ? "stopped"
        : `deadline of ${Math.round(plan.deadlineMs / 1000)} s passed`;
      return result(false, `${last.detail} (${why})`, attempts);
    }
    attempts++;
    try {
      last = await plan.attempt(remaining);
    } catch (error) {
      // A failing AWS read is one failed try, not a crash of the whole run.
      last = { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
    if (last.ok || last.final || attempts >= plan.maxAttempts) return result(last.ok, last.detail, attempts);
    // Never sleep past the deadline; once it has passed, the last try's finding is the result.
    const left = plan.deadlineMs - (Date.now() - started);
    if (left > 0 && !deps.signal?.aborted) {
      deps.progress?.(check.name, `attempt ${attempts}: ${last.detail}; retrying`);
      try {
        await sleep(Math.min(interval, left), undefined, deps.signal ? { signal: deps.signal } : undefined);
      } catch {
        // Aborted: reported at the top of the loop.
      }
    }
  }
}

/**
 * Runs every check at once (they are independent) and returns their results in file order.
 * Never throws for a failing check: the caller decides the exit code from `ok`.
 */
export async function runChecks(checks: Check[], deps: CheckDeps = {}): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, deps)));
}
