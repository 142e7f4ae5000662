import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { createServer } from "node:net";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startParity, waitForOutput } from "../support/child.js";
import type { ChildRun } from "../support/child.js";
import { startFaultProxy } from "../support/faultProxy.js";
import type { FaultProxy, FaultRule } from "../support/faultProxy.js";
import { useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();
const REGION = "us-west-1";
const LOCK = `/parity/locks/sigtest/${REGION}`;

const GROUPS = `
environment: sigtest
region: us-west-1
securityGroups:
  a: { name: sigtest-a, ingress: [{ port: 80, cidr: 10.0.0.0/8 }] }
  b: { name: sigtest-b, ingress: [{ port: 81, cidr: 10.0.0.0/8 }] }
  c: { name: sigtest-c, ingress: [{ port: 82, cidr: 10.0.0.0/8 }] }
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Accepts connections, reads what is sent, never answers. */
async function blackHole(): Promise<{ endpoint: string; firstConnection: () => number | undefined }> {
  let first: number | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    first ??= Date.now();
    sockets.add(socket);
    socket.on("data", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, firstConnection: () => first };
}

async function proxy(rules: FaultRule[]): Promise<FaultProxy> {
  const started = await startFaultProxy({ target: emulator().endpoint, rules });
  cleanups.push(() => started.stop());
  return started;
}

function start(args: string[], endpoint: string): ChildRun {
  const run = startParity(args, { endpoint });
  cleanups.push(() => {
    if (run.child.exitCode === null) run.child.kill("SIGKILL");
  });
  return run;
}

async function lockValue(): Promise<string | undefined> {
  try {
    const ssm = new SSMClient({ region: REGION, endpoint: emulator().endpoint });
    return (await ssm.send(new GetParameterCommand({ Name: LOCK }))).Parameter?.Value;
  } catch (error) {
    if ((error as Error).name === "ParameterNotFound") return undefined;
    throw error;
  }
}

async function groupNames(): Promise<string[]> {
  const found = await new EC2Client({ region: REGION, endpoint: emulator().endpoint }).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["sigtest-*"] }] }),
  );
  return (found.SecurityGroups ?? []).map((g) => g.GroupName ?? "").sort();
}

describe("timeouts and signals", () => {
  it("fails a plan against a server that never answers within a minute, naming the endpoint", async () => {
    const hole = await blackHole();
    const run = start(["plan", writeEnvironment(GROUPS)], hole.endpoint);
    const result = await run.done;
    const ended = Date.now();
    expect(result.code, run.output()).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`error: \\w+ \\w+ at ${hole.endpoint} did not answer within 15 s, 3 attempts\\n`),
    );
    expect(result.stderr).toContain("nothing was changed");
    const sinceFirstCall = ended - (hole.firstConnection() ?? ended);
    console.log(
      `plan against a black hole failed ${(sinceFirstCall / 1000).toFixed(1)} s after its first call`,
    );
    expect(sinceFirstCall).toBeLessThan(60_000);
  }, 150_000);

  it("stops a plan at once on Ctrl-C, even with a call in flight", async () => {
    const hole = await blackHole();
    const run = start(["plan", writeEnvironment(GROUPS)], hole.endpoint);
    await waitFor(() => hole.firstConnection() !== undefined, "the plan's first call");
    const sent = Date.now();
    run.child.kill("SIGINT");
    const result = await run.done;
    console.log(`plan stopped ${Date.now() - sent} ms after Ctrl-C`);
    expect(result.code, run.output()).toBe(1);
    expect(result.stderr).toMatch(
      /error: interrupted: \w+ \w+ was abandoned in flight\n {2}nothing was changed/,
    );
    expect(Date.now() - sent).toBeLessThan(15_000);
  });

  it("ends an apply hung mid-call within seconds of SIGTERM, releasing the lock", async () => {
    const faulty = await proxy([{ operation: "CreateSecurityGroup", fault: "hang" }]);
    const file = writeEnvironment(GROUPS);
    const run = start(["apply", file, "--auto-approve", "--concurrency", "1"], faulty.endpoint);
    await waitFor(() => faulty.log.some((e) => e.fault === "hang"), "the hung CreateSecurityGroup");
    expect(await lockValue()).toBeDefined();
    const sent = Date.now();
    run.child.kill("SIGTERM");
    const result = await run.done;
    const tookMs = Date.now() - sent;
    console.log(`apply hung mid-call exited ${tookMs} ms after SIGTERM`);
    expect(result.code, run.output()).toBe(1);
    expect(result.stderr).toContain("Interrupted (SIGTERM): abandoning the AWS calls in flight.");
    expect(result.stdout).toMatch(
      /✗ securityGroups\.\w: interrupted: ec2 CreateSecurityGroup was abandoned in flight/,
    );
    expect(result.stdout).toContain("Running apply again resumes");
    expect(result.stderr).toContain("Released the lock on sigtest/us-west-1.");
    expect(await lockValue()).toBeUndefined();
    expect(tookMs).toBeLessThan(15_000);

    const again = start(["apply", file, "--auto-approve"], emulator().endpoint);
    expect((await again.done).code, again.output()).toBe(0);
    expect(await groupNames()).toEqual(["sigtest-a", "sigtest-b", "sigtest-c"]);
  });

  it("lets the calls in flight finish on the first Ctrl-C of an apply, and abandons them on the second", async () => {
    const faulty = await proxy([{ operation: "CreateSecurityGroup", fault: "hang" }]);
    const run = start(
      ["apply", writeEnvironment(GROUPS), "--auto-approve", "--concurrency", "1"],
      faulty.endpoint,
    );
    await waitFor(() => faulty.log.some((e) => e.fault === "hang"), "the hung CreateSecurityGroup");
    run.child.kill("SIGINT");
    await waitForOutput(run, /starting nothing new; waiting for operations in flight/);
    // Still waiting on the hung call: nothing has been abandoned yet.
    expect(run.child.exitCode).toBeNull();
    expect(run.output()).not.toContain("abandoning");
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code, run.output()).toBe(1);
    expect(result.stdout).toMatch(/not started/);
    expect(await lockValue()).toBeUndefined();
  });

  it("gives up on a lock release that hangs, and says how to unlock", async () => {
    const faulty = await proxy([{ operation: "DeleteParameter", fault: "hang" }]);
    const file = writeEnvironment(GROUPS);
    const run = start(["apply", file, "--auto-approve"], faulty.endpoint);
    const result = await run.done;
    expect(result.stdout).toContain("Apply: 3 done.");
    expect(result.stderr).toContain(
      `error: could not release the lock on sigtest/us-west-1 (no answer within 10 s); run: parity unlock ${file} --force`,
    );
    expect(await lockValue()).toBeDefined();
  }, 90_000);
});
