import type { Value } from "../model/index.js";
import { systemClock } from "./clock.js";
import { attemptDns } from "./dns.js";
import { attemptHttp } from "./http.js";
import { attemptTargetHealth } from "./targetHealth.js";
import { attemptTcp } from "./tcp.js";
import { attemptTls } from "./tls.js";
import {
  CHECK_KINDS,
  dnsCheckSpec,
  httpCheckSpec,
  targetHealthCheckSpec,
  tcpCheckSpec,
  tlsCheckSpec,
} from "./schema.js";
import type { Attempt, Check, CheckDeps, CheckResult } from "./types.js";

/** New targets need a few health checks before they count. */
const TARGET_HEALTH_DEADLINE_SECONDS = 300;
const DEFAULT_INTERVAL_MS = 5000;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
/**
 * The least time left before the deadline worth another try. A request given a few
 * milliseconds can only time out, and that timeout would hide what the tries before it really
 * saw (a 503, say) in the report.
 */
const MIN_ATTEMPT_MS = 1000;

type Plan = {
  /** Tries allowed; Infinity means "until the deadline". */
  maxAttempts: number;
  deadlineMs: number;
  /** A try is not started with less time than this left. */
  minAttemptMs: number;
  /** The time one try gets when the deadline does not cut it short. */
  fullAttemptMs: number;
  attempt: (remainingMs: number) => Promise<Attempt>;
};

/** A probe that makes one bounded try per attempt (everything but targetHealth). */
type Probe = {
  deadlineSeconds: number;
  read: (spec: Value) => { retries?: number; deadlineSeconds?: number };
  attempt: (spec: Value, deps: CheckDeps, timeoutMs: number) => Promise<Attempt>;
};

/** Each probe with its default deadline: a site answers quickly; DNS changes take a while to spread. */
const PROBES: { [kind: string]: Probe } = {
  http: {
    deadlineSeconds: 30,
    read: httpCheckSpec,
    attempt: (s, d, t) => attemptHttp(httpCheckSpec(s), d, t),
  },
  dns: { deadlineSeconds: 120, read: dnsCheckSpec, attempt: (s, d, t) => attemptDns(dnsCheckSpec(s), d, t) },
  tls: { deadlineSeconds: 30, read: tlsCheckSpec, attempt: (s, d, t) => attemptTls(tlsCheckSpec(s), d, t) },
  tcp: { deadlineSeconds: 30, read: tcpCheckSpec, attempt: (s, d, t) => attemptTcp(tcpCheckSpec(s), d, t) },
};

function planFor(check: Check, deps: CheckDeps): Plan | string {
  const attemptTimeout = deps.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  for (const [kind, probe] of Object.entries(PROBES)) {
    const raw = check.spec[kind];
    if (raw === undefined) continue;
    const spec = probe.read(raw);
    return {
      maxAttempts: spec.retries === undefined ? Infinity : spec.retries + 1,
      deadlineMs: (spec.deadlineSeconds ?? probe.deadlineSeconds) * 1000,
      // A caller that allows each try less than the minimum can still retry.
      minAttemptMs: Math.min(MIN_ATTEMPT_MS, attemptTimeout),
      fullAttemptMs: attemptTimeout,
      attempt: (remaining) => probe.attempt(raw, deps, Math.max(1, Math.min(attemptTimeout, remaining))),
    };
  }
  if (check.spec.targetHealth) {
    const spec = targetHealthCheckSpec(check.spec.targetHealth);
    return {
      maxAttempts: Infinity,
      deadlineMs: (spec.deadlineSeconds ?? TARGET_HEALTH_DEADLINE_SECONDS) * 1000,
      minAttemptMs: MIN_ATTEMPT_MS,
      fullAttemptMs: Infinity,
      attempt: () => attemptTargetHealth(spec, deps),
    };
  }
  return `the check has none of ${CHECK_KINDS.join(", ")}`;
}

async function attemptOnce(plan: Plan, remainingMs: number): Promise<Attempt> {
  try {
    return await plan.attempt(remainingMs);
  } catch (error) {
    // A failing AWS read is one failed try, not a crash of the whole run.
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Runs one check: tries until it passes, its retries are used up, or no meaningful try fits
 * before its deadline, whichever comes first. The first try is always made; a later one only
 * with at least `minAttemptMs` left, so the result is always what a real try saw.
 */
export async function runCheck(check: Check, deps: CheckDeps = {}): Promise<CheckResult> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const elapsed = () => clock.now() - started;
  const result = (ok: boolean, detail: string, attempts: number): CheckResult => ({
    name: check.name,
    ok,
    detail,
    attempts,
    elapsedMs: Math.round(elapsed()),
  });
  const plan = planFor(check, deps);
  if (typeof plan === "string") return result(false, plan, 0);
  const interval = deps.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (deps.signal?.aborted) return result(false, "stopped", 0);
  const deadline = `deadline of ${Math.round(plan.deadlineMs / 1000)} s`;
  let attempts = 0;
  const attempt = (remainingMs: number) => {
    attempts++;
    return attemptOnce(plan, remainingMs);
  };
  /** What the last try that saw something real saw. */
  let finding = await attempt(plan.deadlineMs);
  const outOfTime = () => {
    const why =
      elapsed() >= plan.deadlineMs ? `${deadline} passed` : `too close to the ${deadline} to try again`;
    return result(false, `${finding.detail} (${why})`, attempts);
  };
  for (;;) {
    if (finding.ok || finding.final || attempts >= plan.maxAttempts) {
      return result(finding.ok, finding.detail, attempts);
    }
    if (deps.signal?.aborted) return result(false, `${finding.detail} (stopped)`, attempts);
    // Never pause past the deadline, and not at all when no meaningful try would follow it.
    const left = plan.deadlineMs - elapsed();
    const pause = Math.min(interval, Math.max(0, left));
    if (left - pause < plan.minAttemptMs) return outOfTime();
    deps.progress?.(check.name, `attempt ${attempts}: ${finding.detail}; retrying`);
    await clock.sleep(pause, deps.signal);
    if (deps.signal?.aborted) return result(false, `${finding.detail} (stopped)`, attempts);
    // A pause can run long on a busy machine; the try after it still needs its minimum.
    const remaining = plan.deadlineMs - elapsed();
    if (remaining < plan.minAttemptMs) return outOfTime();
    const next = await attempt(remaining);
    // A try that the deadline cut short and that then timed out only says that time ran out:
    // the answer the try before it got stays the finding.
    if (!(next.timedOut && remaining < plan.fullAttemptMs)) finding = next;
  }
}

/**
 * Runs every check at once (they are independent) and returns their results in file order.
 * Never throws for a failing check: the caller decides the exit code from `ok`.
 */
export async function runChecks(checks: Check[], deps: CheckDeps = {}): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, deps)));
}
