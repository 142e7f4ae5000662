import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
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

/** `aws route53 create-hosted-zone` and an UPSERT of the cutover alias, as a team does by hand. */
async function cutoverRecord(endpoint: string): Promise<void> {
  const route53 = new Route53Client({ region: "us-east-1", endpoint });
  const zone = await route53.send(
    new CreateHostedZoneCommand({ Name: "checks.test", CallerReference: "cli" }),
  );
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone.HostedZone?.Id,
      ChangeBatch: {
        Changes: [
          {
            Action: "UPSERT",
            ResourceRecordSet: {
              Name: "app.checks.test",
              Type: "A",
              AliasTarget: {
                DNSName: "d111abcdef8.cloudfront.net",
                HostedZoneId: "Z2FDTNDATAQYW2",
                EvaluateTargetHealth: false,
              },
            },
          },
        ],
      },
    }),
  );
  route53.destroy();
}

function dnsFile(expect: string): string {
  return writeEnvironment(`
environment: checks
region: us-west-1
checks:
  - { name: cutover, dns: { name: app.checks.test, expect: ${expect}, retries: 0 } }
`);
}

describe("dns checks from the command line, against an emulator's zone", () => {
  it("exits 0 when the record points at the expected target, 1 when it does not", async () => {
    const endpoint = emulator().endpoint;
    await cutoverRecord(endpoint);
    const pass = await parity(["check", dnsFile("d111abcdef8.cloudfront.net")], { endpoint });
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.stdout).toContain(
      "✓ cutover: Route53 zone checks.test: app.checks.test → A alias d111abcdef8.cloudfront.net",
    );
    const fail = await parity(["check", dnsFile("d999old.cloudfront.net")], { endpoint });
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain(
      "✗ cutover: Route53 zone checks.test: app.checks.test → A alias d111abcdef8.cloudfront.net, expected d999old.cloudfront.net",
    );
    expect(fail.stderr).toContain("1 check failed: cutover.");
  });
});
