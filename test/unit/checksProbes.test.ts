import { createServer as createHttpServer } from "node:http";
import type { Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/checks/index.js";
import type { Check, CheckDeps } from "../../src/checks/index.js";
import type { Value } from "../../src/model/index.js";
import { frozenClock } from "../support/clocks.js";
import { startDnsServer } from "../support/dnsServer.js";
import type { DnsServer } from "../support/dnsServer.js";
import { makeCertificate, startTlsServer } from "../support/tlsServer.js";
import type { Certificate, TlsServer } from "../support/tlsServer.js";

// Real sockets on loopback, one try per check (retries: 0). Time stands still, so no timeout or
// deadline can fire: a slow machine only makes these slower, never different.
const once = (kind: string, spec: { [key: string]: Value }): Check => ({
  name: kind,
  spec: { name: kind, [kind]: { ...spec, retries: 0 } },
});

function listening(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}
function closing(server: Server | ReturnType<typeof createTcpServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe("dns checks through a resolver", () => {
  let dns: DnsServer;
  let deps: CheckDeps;
  beforeAll(async () => {
    dns = await startDnsServer({
      "app.site.test": { CNAME: ["d111abcdef8.cloudfront.net"] },
      "d111abcdef8.cloudfront.net": { A: ["10.0.0.1", "10.0.0.2"] },
      "edge.site.test": { A: ["10.0.0.2"] },
      "old.site.test": { A: ["10.9.9.9"] },
      "site.test": { TXT: ["v=spf1 -all"] },
    });
    deps = { clock: frozenClock, dnsServers: [dns.server] };
  });
  afterAll(() => dns.close());

  it("passes when the CNAME chain reaches the expected host, saying which resolver saw what", async () => {
    const result = await runCheck(
      once("dns", { name: "App.Site.Test.", expect: "d111abcdef8.cloudfront.net." }),
      deps,
    );
    expect(result).toMatchObject({
      ok: true,
      attempts: 1,
      detail: `resolver ${dns.server}: app.site.test → CNAME d111abcdef8.cloudfront.net → A 10.0.0.1, 10.0.0.2`,
    });
  });

  it("passes when the name's addresses meet the expected host's, or equal an expected address", async () => {
    const shared = await runCheck(
      once("dns", { name: "edge.site.test", expect: "d111abcdef8.cloudfront.net" }),
      deps,
    );
    expect(shared).toMatchObject({ ok: true, detail: `resolver ${dns.server}: edge.site.test → A 10.0.0.2` });
    expect((await runCheck(once("dns", { name: "edge.site.test", expect: "10.0.0.2" }), deps)).ok).toBe(true);
    const txt = await runCheck(once("dns", { name: "site.test", type: "TXT", expect: "v=spf1 -all" }), deps);
    expect(txt).toMatchObject({ ok: true, detail: `resolver ${dns.server}: site.test → TXT "v=spf1 -all"` });
  });

  it("fails when the name still points elsewhere, showing both sides", async () => {
    const result = await runCheck(
      once("dns", { name: "old.site.test", expect: "${distributions.site.domainName}" }),
      {
        ...deps,
        interpolate: (text) => text.replace("${distributions.site.domainName}", "d111abcdef8.cloudfront.net"),
      },
    );
    expect(result).toMatchObject({
      ok: false,
      attempts: 1,
      detail:
        `resolver ${dns.server}: old.site.test → A 10.9.9.9; d111abcdef8.cloudfront.net → 10.0.0.1, 10.0.0.2, ` +
        "expected d111abcdef8.cloudfront.net",
    });
  });

  it("fails for a name that does not exist", async () => {
    const result = await runCheck(once("dns", { name: "gone.site.test", expect: "10.0.0.1" }), deps);
    expect(result).toMatchObject({
      ok: false,
      detail: `resolver ${dns.server}: gone.site.test → no A record, expected 10.0.0.1`,
    });
  });
});

describe("tls checks", () => {
  let good: Certificate;
  let servers: { [name: string]: TlsServer };
  let trusted: string[] = [];
  beforeAll(async () => {
    good = makeCertificate("loopback", "IP:127.0.0.1", 365);
    const other = makeCertificate("other.test", "DNS:other.test", 365);
    const expiring = makeCertificate("loopback", "IP:127.0.0.1", 5);
    servers = {
      good: await startTlsServer(good),
      other: await startTlsServer(other),
      expiring: await startTlsServer(expiring),
    };
    trusted = [good.cert, other.cert, expiring.cert];
  });
  afterAll(() => Promise.all(Object.values(servers).map((s) => s.close())));
  const deps = (): CheckDeps => ({ clock: frozenClock, trustedCertificates: trusted });

  it("passes for a trusted certificate that covers the host, giving its names and days left", async () => {
    const result = await runCheck(once("tls", { host: "127.0.0.1", port: servers.good?.port ?? 0 }), deps());
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    expect(result.detail).toMatch(/^CN=loopback, SAN IP Address:127\.0\.0\.1: 364 days left \(expires .+\)$/);
  });

  it("fails when the certificate served is for another host", async () => {
    const port = servers.other?.port ?? 0;
    const result = await runCheck(once("tls", { host: "127.0.0.1", port }), deps());
    expect(result).toMatchObject({
      ok: false,
      detail: `127.0.0.1:${port}: the certificate does not cover 127.0.0.1 (CN=other.test, SAN DNS:other.test)`,
    });
  });

  it("fails when the certificate expires within minDaysLeft", async () => {
    const port = servers.expiring?.port ?? 0;
    const result = await runCheck(once("tls", { host: "127.0.0.1", port, minDaysLeft: 14 }), deps());
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:${port}: CN=loopback, SAN IP Address:127\\.0\\.0\\.1: only 4 days left \\(expires .+\\), fewer than minDaysLeft 14$`,
      ),
    );
  });

  it("fails when the chain does not lead to a trusted authority", async () => {
    const port = servers.good?.port ?? 0;
    const result = await runCheck(once("tls", { host: "127.0.0.1", port }), { clock: frozenClock });
    expect(result.ok).toBe(false);
    expect(result.detail).toContain(
      `127.0.0.1:${port}: the certificate chain does not verify: DEPTH_ZERO_SELF_SIGNED_CERT (CN=loopback`,
    );
  });
});

describe("tcp checks", () => {
  it("passes when the port accepts a connection and fails when it refuses", async () => {
    const server = createTcpServer((socket) => socket.end());
    const port = await listening(server);
    try {
      const open = await runCheck(once("tcp", { host: "127.0.0.1", port }), { clock: frozenClock });
      expect(open).toMatchObject({ ok: true, detail: `127.0.0.1:${port} accepted a connection in 0 ms` });
    } finally {
      await closing(server);
    }
    // Port 2 is outside the range the kernel hands out: nothing else can be listening there.
    const closed = await runCheck(once("tcp", { host: "127.0.0.1", port: 2 }), { clock: frozenClock });
    expect(closed).toMatchObject({ ok: false, detail: "127.0.0.1:2: cannot connect (ECONNREFUSED)" });
  });
});

describe("http header and stickiness checks", () => {
  let sticky: Server;
  let careless: Server;
  let stickyUrl = "";
  let carelessUrl = "";
  /** Two targets behind one address, chosen in turn for a request without the session cookie. */
  const targets = (keepSession: boolean) => {
    let turn = 0;
    return createHttpServer((request, response) => {
      const cookie = /(?:^|; )lb=([ab])/.exec(request.headers.cookie ?? "")?.[1];
      const target = keepSession && cookie ? cookie : turn++ % 2 === 0 ? "a" : "b";
      response.setHeader("set-cookie", [`lb=${target}; Path=/; HttpOnly`, "seen=1"]);
      response.setHeader("x-served-by", `web-${target}`);
      response.setHeader("cache-control", "public, max-age=60");
      response.end(`hello from ${target}`);
    });
  };
  beforeAll(async () => {
    sticky = targets(true);
    careless = targets(false);
    stickyUrl = `http://127.0.0.1:${await listening(sticky)}/`;
    carelessUrl = `http://127.0.0.1:${await listening(careless)}/`;
  });
  afterAll(() => Promise.all([closing(sticky), closing(careless)]));
  const deps: CheckDeps = { clock: frozenClock };

  it("passes when a header contains the text, whatever the name's case, and fails naming the header", async () => {
    const pass = await runCheck(
      once("http", { url: stickyUrl, expectHeader: { "Cache-Control": "max-age=60" } }),
      deps,
    );
    expect(pass).toMatchObject({ ok: true, detail: "200 in 0 ms" });
    const fail = await runCheck(
      once("http", {
        url: stickyUrl,
        expectHeader: { "cache-control": "no-store", "x-frame-options": "DENY" },
      }),
      deps,
    );
    expect(fail).toMatchObject({
      ok: false,
      detail: 'header cache-control is "public, max-age=60", expected it to contain "no-store"',
    });
    const missing = await runCheck(
      once("http", { url: stickyUrl, expectHeader: { "X-Frame-Options": "DENY" } }),
      deps,
    );
    expect(missing).toMatchObject({ ok: false, detail: "no x-frame-options header" });
  });

  it("passes when every request with the session cookie lands on the same target", async () => {
    const result = await runCheck(
      once("http", { url: stickyUrl, repeat: 4, expectSame: { header: "X-Served-By" } }),
      deps,
    );
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    expect(result.detail).toMatch(/^4 requests, each 200, all with x-served-by "web-[ab]", in 0 ms$/);
    const bodies = await runCheck(once("http", { url: stickyUrl, expectSame: { body: true } }), deps);
    expect(bodies).toMatchObject({
      ok: true,
      detail: "2 requests, each 200, all with the same body, in 0 ms",
    });
  });

  it("fails when the server ignores the cookie, naming the targets each request reached", async () => {
    const result = await runCheck(
      once("http", { url: carelessUrl, repeat: 3, expectSame: { header: "x-served-by" } }),
      deps,
    );
    expect(result).toMatchObject({
      ok: false,
      detail: 'x-served-by differed across 3 requests sharing cookies lb, seen: "web-a", "web-b", "web-a"',
    });
  });
});
