/**
 * How long one AWS call may take, and how often it is tried. The SDK does the work (its request
 * handler's timeouts, its standard retry strategy); this file only chooses the numbers and tells
 * every error which call it came from.
 */

export type AwsTimeouts = {
  /** TCP connect. AWS endpoints accept in well under a second; longer means a black hole. */
  connectMs: number;
  /**
   * One attempt, until the answer starts (and the longest silence while it arrives). Control-plane
   * calls answer in a second or two; a server that accepted the call and never answers costs this.
   */
  requestMs: number;
  /** Attempts per call, the first included; the SDK's standard strategy backs off between them. */
  maxAttempts: number;
  /** Calls that legitimately take longer, by `service:Operation`: their per-attempt limit. */
  slowOperations: { [call: string]: number };
};

const MINUTE = 60_000;

/**
 * Chosen so a plan against a server that never answers fails within a minute: 3 attempts × 15 s
 * plus well under a second of backoff (the standard strategy waits a random part of 50 ms × 2^retry). 15 s is ten times
 * what a control-plane call takes, and what a cold emulator on a loaded machine needs; 3 attempts
 * are the SDK's own default, and ride out a short burst of throttling.
 */
export const DEFAULT_TIMEOUTS: AwsTimeouts = {
  connectMs: 5_000,
  requestMs: 15_000,
  maxAttempts: 3,
  slowOperations: {
    // A copy of a large object answers when S3 has copied it.
    "s3:CopyObject": 10 * MINUTE,
    "s3:UploadPartCopy": 10 * MINUTE,
    "s3:CompleteMultipartUpload": 10 * MINUTE,
    // CloudFront validates the whole configuration before it answers; seconds, now and then more.
    "cloudfront:CreateDistribution": MINUTE,
    "cloudfront:CreateDistributionWithTags": MINUTE,
    "cloudfront:UpdateDistribution": MINUTE,
  },
};

/** The longest a call can take before it fails for want of an answer: all attempts, all backoff. */
export function worstCaseCallMs(timeouts: AwsTimeouts, call?: string): number {
  const perAttempt = (call && timeouts.slowOperations[call]) || timeouts.requestMs;
  // Bounded from above: the standard strategy waits a random part of 50 ms × 2^retry.
  let backoff = 0;
  for (let retry = 1; retry < timeouts.maxAttempts; retry++) backoff += 100 * 2 ** retry;
  return timeouts.maxAttempts * perAttempt + backoff;
}

/** The per-attempt limit for one operation of a service. */
export function attemptLimitMs(timeouts: AwsTimeouts, service: string, operation: string): number {
  return timeouts.slowOperations[`${service}:${operation}`] ?? timeouts.requestMs;
}

/**
 * The longest silence a service's connections tolerate: the socket idle limit is per client, so
 * it is the slowest operation's limit for services that have slow operations.
 */
export function idleLimitMs(timeouts: AwsTimeouts, service: string): number {
  const own = Object.entries(timeouts.slowOperations)
    .filter(([call]) => call.startsWith(`${service}:`))
    .map(([, ms]) => ms);
  return Math.max(timeouts.requestMs, ...own);
}

/** Which call an error came from: recorded on every error a client throws. */
export type CallSite = {
  service: string;
  operation: string;
  region: string;
  /** Where the call went: the endpoint override, or the AWS endpoint the SDK resolved. */
  endpoint: string;
};

const CALL_SITE = Symbol.for("parity.callSite");

export function recordCallSite(error: unknown, site: CallSite): void {
  if (typeof error !== "object" || error === null || CALL_SITE in error) return;
  Object.defineProperty(error, CALL_SITE, { value: site, enumerable: false });
}

export function callSiteOf(error: unknown): CallSite | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  return (error as { [CALL_SITE]?: CallSite })[CALL_SITE];
}
