import type { Value } from "../model/index.js";
import type { Clock } from "./clock.js";

export type {
  DnsCheckSpec,
  HttpCheckSpec,
  TargetHealthCheckSpec,
  TcpCheckSpec,
  TlsCheckSpec,
} from "./schema.js";

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

/** One record set of a hosted zone, names lowercased without the trailing dot. */
export type ZoneRecord = { name: string; type: string; values: string[]; aliasTarget?: string };

/** The hosted zone that holds a name, as the provider read it. */
export type ZoneRecords = { zone: string; records: ZoneRecord[] };

/** Everything a check touches outside this module, injected so the runner stays testable. */
export type CheckDeps = {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** The ARN of a target group reference (`targetGroups.web`), or undefined when it does not exist. */
  resolveTargetGroupArn?: (ref: string) => string | undefined | Promise<string | undefined>;
  countHealthy?: (targetGroupArn: string) => Promise<TargetCount>;
  /**
   * The records of the hosted zone holding a name (undefined: no zone holds it). When set, dns
   * checks read these instead of asking a resolver: an emulator's zones are not on the internet.
   */
  zoneRecords?: (name: string) => Promise<ZoneRecords | undefined>;
  /** DNS servers ("127.0.0.1:5353") for dns checks; default the system's. */
  dnsServers?: string[];
  /** PEM certificates tls checks trust instead of Node's bundled authorities. */
  trustedCertificates?: string[];
  /** Milliseconds since the epoch, for certificate expiry; default Date.now. */
  wallTime?: () => number;
  /** Resolves `${kind.name.attribute}` in URLs, headers, bodies, names and hosts against live outputs. */
  interpolate?: (text: string) => string;
  /** Pause between attempts; default 5 s. */
  intervalMs?: number;
  /** Longest wait for one try (an HTTP answer, a connection, a DNS answer); default 10 s (never past the deadline). */
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
