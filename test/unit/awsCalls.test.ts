import { describe, expect, it } from "vitest";
import {
  attemptLimitMs,
  DEFAULT_TIMEOUTS,
  idleLimitMs,
  worstCaseCallMs,
} from "../../src/providers/aws/calls.js";

describe("AWS call time limits", () => {
  it("fail a call to a server that never answers within a minute, all attempts and backoff included", () => {
    expect(worstCaseCallMs(DEFAULT_TIMEOUTS)).toBeLessThan(50_000);
    expect(DEFAULT_TIMEOUTS.maxAttempts).toBeGreaterThanOrEqual(2);
  });

  it("give the calls that legitimately take long their own limit, and only those", () => {
    expect(attemptLimitMs(DEFAULT_TIMEOUTS, "s3", "CopyObject")).toBe(10 * 60_000);
    expect(attemptLimitMs(DEFAULT_TIMEOUTS, "cloudfront", "UpdateDistribution")).toBe(60_000);
    expect(attemptLimitMs(DEFAULT_TIMEOUTS, "s3", "ListObjectsV2")).toBe(DEFAULT_TIMEOUTS.requestMs);
    expect(attemptLimitMs(DEFAULT_TIMEOUTS, "ec2", "CopyObject")).toBe(DEFAULT_TIMEOUTS.requestMs);
  });

  it("let a connection sit silent as long as its service's slowest call may", () => {
    expect(idleLimitMs(DEFAULT_TIMEOUTS, "s3")).toBe(10 * 60_000);
    expect(idleLimitMs(DEFAULT_TIMEOUTS, "ec2")).toBe(DEFAULT_TIMEOUTS.requestMs);
  });
});
