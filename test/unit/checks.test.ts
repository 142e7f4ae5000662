import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { interpolatorFrom, runCheck, runChecks, targetGroupArnsFrom } from "../../src/checks/index.js";
import type { Check, CheckDeps } from "../../src/checks/index.js";
import type { Value } from "../../src/model/index.js";

let server: Server;
let base = "";
let hits: Record<string, number> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === "/health") return void res.writeHead(200).end('{"status":"ok"}');
    if (path === "/down") return void res.writeHead(503).end("unavailable");
    // Fails twice, then answers: a service still warming up.
    if (path === "/warming") return void res.writeHead(hits[path] <= 2 ? 502 : 200).end("ready");
    if (path === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), 3000).unref();
    if (path === "/old") return void res.writeHead(301, { location: "/health" }).end();
    if (path === "/echo") {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => res.writeHead(200).end(`${req.method} ${req.headers.authorization} ${body}`));
      return;
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits = {};
});

const fast: CheckDeps = { intervalMs: 20 };

function http(name: string, spec: { [key: string]: Value }): Check {
  return { name, spec: { name, http: spec } };
}

describe("http checks", () => {
  it("passes on the expected status and body", async () => {
    const result = await runCheck(
      http("health", { url: `${base}/health`, expectStatus: 200, expectBodyContains: '"ok"' }),
      fast,
    );
    expect(result).toMatchObject({ name: "health", ok: true, attempts: 1 });
    expect(result.detail).toMatch(/^200 in \d+ ms$/);
  });

  it("fails on a status mismatch, trying exactly retries + 1 times", async () => {
    const result = await runCheck(http("down", { url: `${base}/down`, expectStatus: 200, retries: 2 }), fast);
    expect(result).toMatchObject({ ok: false, attempts: 3, detail: "expected status 200, got 503" });
    expect(hits["/down"]).toBe(3);
  });

  it("fails on a body mismatch and quotes what came back", async () => {
    const result = await runCheck(
      http("body", { url: `${base}/health`, expectBodyContains: "healthy", retries: 0 }),
      fast,
    );
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    expect(result.detail).toBe('body does not contain "healthy" (got "{\\"status\\":\\"ok\\"}")');
  });

  it("retries until the service answers", async () => {
    const progress: string[] = [];
    const result = await runCheck(
      http("warming", { url: `${base}/warming`, expectStatus: 200, retries: 5 }),
      {
        ...fast,
        progress: (name, message) => progress.push(`${name}: ${message}`),
      },
    );
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(progress).toEqual([
      "warming: attempt 1: expected status 200, got 502; retrying",
      "warming: attempt 2: expected status 200, got 502; retrying",
    ]);
  });

  it("gives up at the deadline when no retry count is set", async () => {
    const result = await runCheck(http("deadline", { url: `${base}/down`, deadlineSeconds: 1 }), {
      intervalMs: 300,
    });
    expect(result.ok).toBe(false);
    expect(result.detail).toBe("expected status 2xx, got 503 (deadline of 1 s passed)");
    expect(result.attempts).toBeGreaterThanOrEqual(3);
    expect(result.attempts).toBeLessThanOrEqual(5);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(result.elapsedMs).toBeLessThan(1500);
  });

  it("does not wait for a slow answer past the deadline", async () => {
    const result = await runCheck(http("slow", { url: `${base}/slow`, deadlineSeconds: 1 }), fast);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^no answer within \d+ ms \(deadline of 1 s passed\)$/);
    expect(result.elapsedMs).toBeLessThan(1500);
  });

  it("checks a redirect itself when a 3xx is expected, and follows it otherwise", async () => {
    expect((await runCheck(http("redirect", { url: `${base}/old`, expectStatus: 301 }), fast)).ok).toBe(true);
    const followed = await runCheck(http("followed", { url: `${base}/old`, expectBodyContains: "ok" }), fast);
    expect(followed.ok).toBe(true);
    expect(hits["/health"]).toBe(1);
  });

  it("sends method, headers and body, with ${…} resolved by the caller", async () => {
    const result = await runCheck(
      http("login", {
        url: "${loadBalancers.web.url}/echo",
        method: "POST",
        headers: { Authorization: "Bearer t0k" },
        body: "user=${appEnv.user}",
        expectBodyContains: "POST Bearer t0k user=demo",
        retries: 0,
      }),
      {
        ...fast,
        interpolate: (text) =>
          text.replace("${loadBalancers.web.url}", base).replace("${appEnv.user}", "demo"),
      },
    );
    expect(result).toMatchObject({ ok: true, attempts: 1 });
  });

  it("stops waiting when interrupted, reporting what it saw", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100).unref();
    const result = await runCheck(http("interrupted", { url: `${base}/down`, deadlineSeconds: 30 }), {
      intervalMs: 5000,
      signal: stop.signal,
    });
    expect(result).toMatchObject({
      ok: false,
      attempts: 1,
      detail: "expected status 2xx, got 503 (stopped)",
    });
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it("stops at once when a ${…} cannot be resolved", async () => {
    const result = await runCheck(http("unresolved", { url: "http://${loadBalancers.web.dnsName}/" }), fast);
    expect(result).toMatchObject({
      ok: false,
      attempts: 1,
      detail: "cannot resolve http://${loadBalancers.web.dnsName}/",
    });
  });

  it("reports a refused connection in words", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runCheck(http("refused", { url: `http://127.0.0.1:${port}/`, retries: 0 }), fast);
    expect(result).toMatchObject({ ok: false, detail: "cannot connect (ECONNREFUSED)" });
  });
});

describe("target health checks", () => {
  const check = (spec: { [key: string]: Value }): Check => ({
    name: "targets",
    spec: { name: "targets", targetHealth: spec },
  });

  it("waits until enough targets are healthy", async () => {
    const counts = [0, 1, 2];
    const seen: string[] = [];
    const result = await runCheck(check({ targetGroup: "targetGroups.web", minHealthy: 2 }), {
      ...fast,
      resolveTargetGroupArn: (ref) => (ref === "targetGroups.web" ? "arn:tg/web" : undefined),
      countHealthy: async (arn) => {
        seen.push(arn);
        return { healthy: counts.shift() ?? 2, total: 2 };
      },
    });
    expect(result).toMatchObject({ ok: true, attempts: 3, detail: "2 of 2 targets healthy" });
    expect(seen).toEqual(["arn:tg/web", "arn:tg/web", "arn:tg/web"]);
  });

  it("stops at once for a target group that does not exist, and at the deadline for too few healthy", async () => {
    const deps: CheckDeps = {
      ...fast,
      resolveTargetGroupArn: (ref) => (ref === "targetGroups.web" ? "arn:tg/web" : undefined),
      countHealthy: async () => ({ healthy: 1, total: 2 }),
    };
    const [missing, few] = await runChecks(
      [
        check({ targetGroup: "targetGroups.api" }),
        check({ targetGroup: "targetGroups.web", minHealthy: 2, deadlineSeconds: 1 }),
      ],
      deps,
    );
    expect(missing).toMatchObject({
      ok: false,
      attempts: 1,
      detail: "targetGroups.api does not exist (has the file been applied?)",
    });
    expect(few?.ok).toBe(false);
    expect(few?.detail).toBe("1 of 2 targets healthy (need 2) (deadline of 1 s passed)");
  });

  it("counts a failing read as a failed try, not a crash", async () => {
    const result = await runCheck(check({ targetGroup: "targetGroups.web", deadlineSeconds: 1 }), {
      intervalMs: 400,
      resolveTargetGroupArn: () => "arn:tg/web",
      countHealthy: async () => {
        throw new Error("Throttling: Rate exceeded");
      },
    });
    expect(result.ok).toBe(false);
    expect(result.detail).toBe("Throttling: Rate exceeded (deadline of 1 s passed)");
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
