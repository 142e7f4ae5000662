import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parity, startParity, waitForOutput } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";
import { groupsFile, lockParameters } from "../support/lockState.js";
import { pauseAt } from "../support/pause.js";
import { startTogether } from "../support/together.js";

const { emulator } = useMoto();

const LOCK = "/parity/locks/locktest/us-west-1";

/** Enough groups, created one at a time, that an apply is still walking when we interfere. */
function manyGroups(n: number): string {
  const groups = Array.from(
    { length: n },
    (_, i) => `  g${i}:\n    name: locktest-g${i}\n    ingress: [{ port: ${8000 + i}, cidr: 10.0.0.0/8 }]`,
  );
  return `environment: locktest\nregion: us-west-1\nsecurityGroups:\n${groups.join("\n")}\n`;
}

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ssm = (endpoint: string) => new SSMClient({ region: "us-west-1", endpoint });

async function lockValue(endpoint: string): Promise<string | undefined> {
  try {
    const got = await ssm(endpoint).send(new GetParameterCommand({ Name: LOCK }));
    return got.Parameter?.Value;
  } catch (error) {
    if ((error as Error).name === "ParameterNotFound") return undefined;
    throw error;
  }
}

async function namesLike(endpoint: string, prefix: string): Promise<string[]> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [`${prefix}*`] }] }),
  );
  return (found.SecurityGroups ?? []).map((g) => g.GroupName ?? "").sort();
}

const groupNames = (endpoint: string) => namesLike(endpoint, "locktest-");

describe("the apply lock against moto", () => {
  it("lets one of two applies started together run; the other fails fast naming the holder", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(manyGroups(10));
    const args = ["apply", file, "--auto-approve", "--concurrency", "1"];
    // Both children load, then wait at a barrier, so they really race for the lock.
    const barrier = join(dirname(file), "barrier");
    const children = [startParity(args, { endpoint, barrier }), startParity(args, { endpoint, barrier })];
    await waitFor(() => readdirSync(dirname(file)).filter((f) => f.endsWith(".ready")).length === 2);
    const started = Date.now();
    writeFileSync(`${barrier}.go`, "");
    const results = await Promise.all(
      children.map((r) => r.done.then((result) => ({ ...result, ms: Date.now() - started }))),
    );
    const winner = results.find((r) => r.code === 0);
    const loser = results.find((r) => r.code === 3);
    expect(
      results.map((r) => r.code).sort(),
      results.map((r) => r.stdout + r.stderr).join("\n----\n"),
    ).toEqual([0, 3]);
    expect(loser?.stderr).toMatch(
      /locktest\/us-west-1 is locked by \S+@\S+ \(pid \d+\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, last heartbeat \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(plan [0-9a-f]{6}…, [^)]+\); if that run is dead: parity unlock \S+ --force/,
    );
    expect(loser?.stderr).toContain(`(pid ${children[results.findIndex((r) => r.code === 0)]?.child.pid})`);
    expect(loser?.stdout).not.toContain("creating");
    expect(loser?.ms).toBeLessThan(winner?.ms ?? 0);
    expect(winner?.stdout).toContain("Apply: 10 done.");
    expect(await groupNames(endpoint)).toHaveLength(10);
    expect(await lockValue(endpoint)).toBeUndefined();
  });

  it("releases the lock when the apply is interrupted, and a re-run converges", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(manyGroups(8));
    const run = startParity(["apply", file, "--auto-approve", "--concurrency", "1"], { endpoint });
    await waitForOutput(run, /securityGroups\.g\d: created/);
    expect(await lockValue(endpoint)).toContain('"planDigest"');
    run.child.kill("SIGINT");
    const stopped = await run.done;
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(1);
    expect(stopped.stderr).toContain("Interrupted");
    expect(stopped.stdout).toMatch(/not started/);
    expect(await lockValue(endpoint)).toBeUndefined();
    expect((await groupNames(endpoint)).length).toBeLessThan(8);

    const again = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await groupNames(endpoint)).toHaveLength(8);
    expect((await parity(["plan", file, "--detailed-exitcode"], { endpoint })).code).toBe(0);
  });

  it("refuses while a stale lock is held; plan still works; unlock --force releases it", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(manyGroups(1));
    const holder = {
      who: "bob@ci-runner",
      where: "https://github.com/acme/infra/actions/runs/7",
      since: "2026-11-22T10:00:00Z",
      planDigest: "1a2b3c4d5e6f",
    };
    await ssm(endpoint).send(
      new PutParameterCommand({ Name: LOCK, Type: "String", Value: JSON.stringify(holder) }),
    );

    const refused = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `locktest/us-west-1 is locked by bob@ci-runner since 2026-11-22T10:00:00Z (plan 1a2b3c…, https://github.com/acme/infra/actions/runs/7); if that run is dead: parity unlock ${file} --force`,
    );
    expect(await groupNames(endpoint)).toEqual([]);

    // Read-only commands never take the lock.
    const plan = await parity(["plan", file, "--out", `${dirname(file)}/plan.json`], { endpoint });
    expect(plan.code, plan.stderr).toBe(0);

    const saved = await parity(["apply", `${dirname(file)}/plan.json`, "--auto-approve"], { endpoint });
    expect(saved.code).toBe(3);
    expect(saved.stderr).toContain("is locked by bob@ci-runner");

    const careful = await parity(["unlock", file], { endpoint });
    expect(careful.code).toBe(1);
    expect(careful.stderr).toContain("locked by bob@ci-runner");
    expect(await lockValue(endpoint)).toBeDefined();

    const forced = await parity(["unlock", file, "--force"], { endpoint });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("Unlocked locktest/us-west-1");
    expect(await lockValue(endpoint)).toBeUndefined();

    const applied = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await groupNames(endpoint)).toEqual(["locktest-g0"]);
  }, 180_000);

  it("gives two projects' environments of one name separate locks, so both apply at once", async () => {
    const endpoint = emulator().endpoint;
    const empty = (project?: string) =>
      writeEnvironment(`${project ? `project: ${project}\n` : ""}environment: locktest\nregion: us-west-1\n`);
    const [alpha, beta, plain] = [empty("alpha"), empty("beta"), empty()];
    // alpha stops while it holds its lock; the others run meanwhile.
    const pause = pauseAt(/No changes/);
    const holding = startParity(["apply", alpha, "--auto-approve"], { endpoint, env: pause.env });
    await pause.paused(holding);
    expect(Object.keys(await lockParameters(endpoint))).toEqual(["/parity/locks/alpha/locktest/us-west-1"]);

    const other = await parity(["apply", beta, "--auto-approve"], { endpoint });
    expect(other.code, other.stderr).toBe(0);
    const withoutProject = await parity(["apply", plain, "--auto-approve"], { endpoint });
    expect(withoutProject.code, withoutProject.stderr).toBe(0);
    const same = await parity(["apply", alpha, "--auto-approve"], { endpoint });
    expect(same.code).toBe(3);
    expect(same.stderr).toContain(`alpha/locktest/us-west-1 is locked by `);
    expect(same.stderr).toContain(`(pid ${holding.child.pid})`);

    pause.resume();
    const held = await holding.done;
    expect(held.code, held.stderr).toBe(0);
    expect(await lockParameters(endpoint)).toEqual({});
  }, 300_000);

  // Fails until ownership includes the project (issue 8, finding 1, in providers/aws/common/ownership.ts):
  // both projects tag their groups parity:environment=locktest, so each takes the other's for its own,
  // deletes them as no longer in its file, or finds them "still different" after its apply.
  it.fails("applies two projects' environments of one name at once without touching each other", async () => {
    const endpoint = emulator().endpoint;
    const alpha = writeEnvironment(groupsFile("locktest", 2, "alpha-", "alpha"));
    const beta = writeEnvironment(groupsFile("locktest", 2, "beta-", "beta"));
    const runs = await startTogether([
      { args: ["apply", alpha, "--auto-approve"], options: { endpoint } },
      { args: ["apply", beta, "--auto-approve"], options: { endpoint } },
    ]);
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(await groupNames(endpoint)).toEqual([]);
    expect([...(await namesLike(endpoint, "alpha-")), ...(await namesLike(endpoint, "beta-"))]).toEqual([
      "alpha-g0",
      "alpha-g1",
      "beta-g0",
      "beta-g1",
    ]);
    for (const file of [alpha, beta])
      expect((await parity(["plan", file, "--detailed-exitcode"], { endpoint })).code).toBe(0);
  });
});
