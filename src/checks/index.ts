/**
 * Smoke checks (`checks:` in the environment file): HTTP probes (stickiness included), DNS
 * answers, TLS certificates, TCP ports and target-group health, with retries until a deadline.
 * AWS access comes in through `CheckDeps`, so this module has none.
 */
export { runCheck, runChecks } from "./run.js";
export { interpolatorFrom, targetGroupArnsFrom } from "./deps.js";
export { systemClock } from "./clock.js";
export type { Clock } from "./clock.js";
export type {
  Check,
  CheckDeps,
  CheckResult,
  DnsCheckSpec,
  HttpCheckSpec,
  TargetCount,
  TargetHealthCheckSpec,
  TcpCheckSpec,
  TlsCheckSpec,
  ZoneRecord,
  ZoneRecords,
} from "./types.js";
