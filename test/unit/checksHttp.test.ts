import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCheck } from "../../src/checks/index.js";
import type { Check, CheckDeps } from "../../src/checks/index.js";
import type { Value } from "../../src/model/index.js";
import { frozenClock } from "../support/clocks.js";

// Real HTTP on loopback, one try per check. Time stands still: no timeout or deadline can fire,
// so a slow machine only makes these slower, never different. Timing is in checks.test.ts.
const deps: CheckDeps = { clock: frozenClock };

let server: Server;
let base = "";
let hits: Record<string, number> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === "/health") return void res.writeHead(200).end('{"status":"ok"}');
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

function http(name: string, spec: { [key: string]: Value }): Check {
  return { name, spec: { name, http: spec } };
}

describe("http checks over real HTTP", () => {
  it("passes on the expected status and body", async () => {
    const result = await runCheck(
      http("health", { url: `${base}/health`, expectStatus: 200, expectBodyContains: '"ok"' }),
      deps,
    );
    expect(result).toEqual({ name: "health", ok: true, attempts: 1, detail: "200 in 0 ms", elapsedMs: 0 });
  });

  it("fails on a body mismatch and quotes what came back", async () => {
    const result = await runCheck(
      http("body", { url: `${base}/health`, expectBodyContains: "healthy", retries: 0 }),
      deps,
    );
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    expect(result.detail).toBe('body does not contain "healthy" (got "{\\"status\\":\\"ok\\"}")');
  });

  it("checks a redirect itself when a 3xx is expected, and follows it otherwise", async () => {
    expect((await runCheck(http("redirect", { url: `${base}/old`, expectStatus: 301 }), deps)).ok).toBe(true);
    expect(hits["/health"]).toBeUndefined();
    const followed = await runCheck(http("followed", { url: `${base}/old`, expectBodyContains: "ok" }), deps);
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
        ...deps,
        interpolate: (text) =>
          text.replace("${loadBalancers.web.url}", base).replace("${appEnv.user}", "demo"),
      },
    );
    expect(result).toMatchObject({ ok: true, attempts: 1 });
  });

  it("stops at once when a ${…} cannot be resolved", async () => {
    const result = await runCheck(http("unresolved", { url: "http://${loadBalancers.web.dnsName}/" }), deps);
    expect(result).toMatchObject({
      ok: false,
      attempts: 1,
      detail: "cannot resolve http://${loadBalancers.web.dnsName}/",
    });
  });

  it("reports a refused connection in words", async () => {
    // A port just closed could be taken again at once by another test run's server; port 2 is
    // outside the range the kernel hands out, and not on fetch's list of blocked ports.
    const result = await runCheck(http("refused", { url: "http://127.0.0.1:2/", retries: 0 }), deps);
    expect(result).toMatchObject({ ok: false, detail: "cannot connect (ECONNREFUSED)" });
  });
});
