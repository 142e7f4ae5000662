import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { interpolatorFrom, runCheck, runChecks, targetGroupArnsFrom } from "../../src/checks/index.js";
import type { Check, CheckDeps } from "../../src/checks/index.js";
import type { Value } from "../../src/model/index.js";
import { steppingClock } from "../support/clocks.js";
import { fakeSite } from "../support/fakeSite.js";
import type { FakeAnswer } from "../support/fakeSite.js";

// Every deadline, pause and timeout here runs on fake timers: a 30 s deadline takes no real time,
// and no result depends on how busy the machine is. Real HTTP is in checksHttp.test.ts.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs the checks to the end, firing every timer they set on the way. */
async function settle<T>(running: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return running;
}

function http(name: string, spec: { [key: string]: Value }): Check {
  return { name, spec: { name, http: spec } };
}

const URL = "http://site.test";
const always = (answer: FakeAnswer) => fakeSite(() => answer);

describe("http checks", () => {
  it("fails on a status mismatch, trying exactly retries + 1 times", async () => {
    const site = always({ status: 503 });
    const result = await settle(
      runCheck(http("down", { url: `${URL}/down`, expectStatus: 200, retries: 2 }), {
        fetch: site.fetch,
        intervalMs: 20,
      }),
    );
    expect(result).toEqual({
      name: "down",
      ok: false,
      attempts: 3,
      detail: "expected status 200, got 503",
      elapsedMs: 40,
    });
    expect(site.requests).toEqual(["GET /down", "GET /down", "GET /down"]);
  });

  it("retries until the service answers, saying so after each failed try", async () => {
    // Fails twice, then answers: a service still warming up.
    const site = fakeSite((_, n) => ({ status: n <= 2 ? 502 : 200, afterMs: 15 }));
    const progress: string[] = [];
    const result = await settle(
      runCheck(http("warming", { url: `${URL}/warming`, expectStatus: 200, retries: 5 }), {
        fetch: site.fetch,
        intervalMs: 20,
        progress: (name, message) => progress.push(`${name}: ${message}`),
      }),
    );
    expect(result).toEqual({ name: "warming", ok: true, attempts: 3, detail: "200 in 15 ms", elapsedMs: 85 });
    expect(progress).toEqual([
      "warming: attempt 1: expected status 200, got 502; retrying",
      "warming: attempt 2: expected status 200, got 502; retrying",
    ]);
  });

  it("gives up at the deadline when no retry count is set, reporting the last answer", async () => {
    const site = always({ status: 503 });
    const result = await settle(
      runCheck(http("deadline", { url: `${URL}/down`, deadlineSeconds: 10 }), {
        fetch: site.fetch,
        intervalMs: 3000,
      }),
    );
    // Tries at 0, 3, 6 and 9 s; one at 10 s would have no time at all.
    expect(result).toEqual({
      name: "deadline",
      ok: false,
      attempts: 4,
      detail: "expected status 2xx, got 503 (too close to the deadline of 10 s to try again)",
      elapsedMs: 9000,
    });
  });

  it("never makes a try with too little time left to mean anything", async () => {
    // The case that used to report "no answer within 1 ms": a 1 s deadline, a try every 300 ms.
    const site = always({ status: 503 });
    const result = await settle(
      runCheck(http("deadline", { url: `${URL}/down`, deadlineSeconds: 1 }), {
        fetch: site.fetch,
        intervalMs: 300,
      }),
    );
    expect(result).toEqual({
      name: "deadline",
      ok: false,
      attempts: 1,
      detail: "expected status 2xx, got 503 (too close to the deadline of 1 s to try again)",
      elapsedMs: 0,
    });
    expect(site.requests).toHaveLength(1);
  });

  it("keeps the last real answer when the deadline cuts the next try short", async () => {
    // Each 503 takes 2.5 s; the try at 9 s has only 1 s and times out: that says nothing new.
    const site = always({ status: 503, afterMs: 2500 });
    const result = await settle(
      runCheck(http("slow 503", { url: `${URL}/down`, deadlineSeconds: 10 }), {
        fetch: site.fetch,
        intervalMs: 2000,
      }),
    );
    expect(result).toEqual({
      name: "slow 503",
      ok: false,
      attempts: 3,
      detail: "expected status 2xx, got 503 (deadline of 10 s passed)",
      elapsedMs: 10_000,
    });
  });

  it("reports a timeout that had the full time of a try, even near the deadline", async () => {
    const site = fakeSite((_, n) => (n === 1 ? { status: 503 } : { status: 200, afterMs: 60_000 }));
    const result = await settle(
      runCheck(http("hung", { url: `${URL}/hung`, deadlineSeconds: 10 }), {
        fetch: site.fetch,
        intervalMs: 5000,
        attemptTimeoutMs: 2000,
      }),
    );
    // The try at 5 s had its full 2 s and got no answer: that is news, and it replaces the 503.
    expect(result).toEqual({
      name: "hung",
      ok: false,
      attempts: 2,
      detail: "no answer within 2000 ms (too close to the deadline of 10 s to try again)",
      elapsedMs: 7000,
    });
  });

  it("does not wait for a slow answer past the deadline", async () => {
    const site = always({ status: 200, afterMs: 3000 });
    const result = await settle(
      runCheck(http("slow", { url: `${URL}/slow`, deadlineSeconds: 1 }), { fetch: site.fetch }),
    );
    expect(result).toEqual({
      name: "slow",
      ok: false,
      attempts: 1,
      detail: "no answer within 1000 ms (deadline of 1 s passed)",
      elapsedMs: 1000,
    });
  });

  it("stops waiting when interrupted, reporting what it saw", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const result = await settle(
      runCheck(http("interrupted", { url: `${URL}/down`, deadlineSeconds: 30 }), {
        fetch: always({ status: 503 }).fetch,
        intervalMs: 5000,
        signal: stop.signal,
      }),
    );
    expect(result).toEqual({
      name: "interrupted",
      ok: false,
      attempts: 1,
      detail: "expected status 2xx, got 503 (stopped)",
      elapsedMs: 100,
    });
  });
});

describe("target health checks", () => {
  const check = (spec: { [key: string]: Value }): Check => ({
    name: "targets",
    spec: { name: "targets", targetHealth: spec },
  });
  const web = (ref: string) => (ref === "targetGroups.web" ? "arn:tg/web" : undefined);

  it("waits until enough targets are healthy", async () => {
    const counts = [0, 1, 2];
    const seen: string[] = [];
    const result = await settle(
      runCheck(check({ targetGroup: "targetGroups.web", minHealthy: 2 }), {
        intervalMs: 20,
        resolveTargetGroupArn: web,
        countHealthy: async (arn) => {
          seen.push(arn);
          return { healthy: counts.shift() ?? 2, total: 2 };
        },
      }),
    );
    expect(result).toEqual({
      name: "targets",
      ok: true,
      attempts: 3,
      detail: "2 of 2 targets healthy",
      elapsedMs: 40,
    });
    expect(seen).toEqual(["arn:tg/web", "arn:tg/web", "arn:tg/web"]);
  });

  it("stops at once for a target group that does not exist, and at the deadline for too few healthy", async () => {
    const deps: CheckDeps = {
      intervalMs: 1000,
      resolveTargetGroupArn: web,
      countHealthy: async () => ({ healthy: 1, total: 2 }),
    };
    const [missing, few] = await settle(
      runChecks(
        [
          check({ targetGroup: "targetGroups.api" }),
          check({ targetGroup: "targetGroups.web", minHealthy: 2, deadlineSeconds: 5 }),
        ],
        deps,
      ),
    );
    expect(missing).toMatchObject({
      ok: false,
      attempts: 1,
      detail: "targetGroups.api does not exist (has the file been applied?)",
    });
    expect(few).toMatchObject({
      ok: false,
      attempts: 5,
      detail: "1 of 2 targets healthy (need 2) (too close to the deadline of 5 s to try again)",
      elapsedMs: 4000,
    });
  });

  it("reports the deadline as passed when the last read ran into it", async () => {
    const result = await settle(
      runCheck(check({ targetGroup: "targetGroups.web", deadlineSeconds: 3 }), {
        intervalMs: 500,
        resolveTargetGroupArn: web,
        countHealthy: () =>
          new Promise((resolve) => setTimeout(() => resolve({ healthy: 0, total: 1 }), 1500)),
      }),
    );
    // Reads take 1.5 s and cannot be cut short: the one started at 2 s ends past the deadline.
    expect(result).toMatchObject({
      attempts: 2,
      detail: "0 of 1 target healthy (need 1) (deadline of 3 s passed)",
      elapsedMs: 3500,
    });
  });

  it("counts a failing read as a failed try, not a crash", async () => {
    const result = await settle(
      runCheck(check({ targetGroup: "targetGroups.web", deadlineSeconds: 2 }), {
        intervalMs: 400,
        resolveTargetGroupArn: () => "arn:tg/web",
        countHealthy: async () => {
          throw new Error("Throttling: Rate exceeded");
        },
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      attempts: 3,
      detail: "Throttling: Rate exceeded (too close to the deadline of 2 s to try again)",
    });
  });

  it("does not make a try that a late wake-up left too little time for", async () => {
    // A busy machine: every pause ends 1.5 s later than asked.
    const late = steppingClock({ lateByMs: 1500 });
    let reads = 0;
    const result = await runCheck(check({ targetGroup: "targetGroups.web", deadlineSeconds: 4 }), {
      clock: late,
      intervalMs: 2000,
      resolveTargetGroupArn: web,
      countHealthy: async () => {
        reads++;
        return { healthy: 0, total: 2 };
      },
    });
    expect(reads).toBe(1);
    expect(late.sleeps).toEqual([2000]);
    expect(result).toMatchObject({
      attempts: 1,
      detail: "0 of 2 targets healthy (need 1) (too close to the deadline of 4 s to try again)",
      elapsedMs: 3500,
    });
  });
});

describe("target group ARNs from discovered state", () => {
  it("resolves only this environment's own target groups", () => {
    const resolve = targetGroupArnsFrom([
      {
        type: "targetGroups",
        address: "targetGroups.web",
        id: "a",
        managed: true,
        attributes: {},
        outputs: { arn: "arn:web" },
      },
      {
        type: "targetGroups",
        address: "targetGroups.api",
        id: "b",
        managed: false,
        attributes: {},
        outputs: { arn: "arn:api" },
      },
    ]);
    expect(resolve("targetGroups.web")).toBe("arn:web");
    expect(resolve("targetGroups.api")).toBeUndefined();
    expect(resolve("targetGroups.none")).toBeUndefined();
  });
});

describe("interpolation from discovered state", () => {
  it("fills in live outputs and leaves what it cannot resolve as written", () => {
    const env = { environment: "stg", region: "us-west-1", tags: {}, secrets: {} };
    const interpolate = interpolatorFrom(
      [
        {
          type: "loadBalancers",
          address: "loadBalancers.web",
          id: "a",
          managed: true,
          attributes: {},
          outputs: { dnsName: "web-1.elb.example" },
        },
        {
          type: "buckets",
          address: "buckets.site",
          id: "b",
          managed: false,
          attributes: {},
          outputs: { name: "not-ours" },
        },
      ],
      env,
    );
    expect(interpolate("http://${loadBalancers.web.dnsName}/health")).toBe("http://web-1.elb.example/health");
    expect(interpolate("http://${buckets.site.name}/")).toBe("http://${buckets.site.name}/");
  });
});
