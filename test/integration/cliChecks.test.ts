import { createServer } from "node:http";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    response.statusCode = request.url === "/ok" ? 200 : 503;
    response.end(request.url === "/ok" ? "healthy" : "down");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * A generous deadline, so a busy machine cannot turn a slow answer into a failure; a check that
 * is meant to fail is given no retries, so it reports its first answer at once.
 */
function file(path: string, retries?: number): string {
  const limit = retries === undefined ? "" : `, retries: ${retries}`;
  return writeEnvironment(`
environment: checks
region: us-west-1
securityGroups:
  web: { name: checks-web, ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }
checks:
  - { name: api health, http: { url: "${base}${path}", expectStatus: 200, deadlineSeconds: 120${limit} } }
`);
}

describe("smoke checks from the command line", () => {
  it("runs after a successful apply and passes", async () => {
    const run = await parity(["apply", file("/ok"), "--auto-approve"], { endpoint: emulator().endpoint });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ api health: /);
  });

  it("fails the apply with exit 1, naming the check and how to roll back", async () => {
    const run = await parity(["apply", file("/broken", 0), "--auto-approve"], {
      endpoint: emulator().endpoint,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ api health: expected status 200, got 503/);
    expect(run.stderr).toContain("1 check failed: api health.");
    expect(run.stderr).toContain("git revert");
  });

  it("parity check runs them on demand", async () => {
    const run = await parity(["check", file("/ok")], { endpoint: emulator().endpoint });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ api health/);
  });
});
