import { PutParameterCommand } from "@aws-sdk/client-ssm";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { parity, startParity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";
import { groupsFile, lockParameters } from "../support/lockState.js";
import { LOCK, groupNames, lockValue, manyGroups, namesLike, ssm } from "../support/lockTest.js";
import { pauseAt } from "../support/pause.js";
import { startTogether } from "../support/together.js";

const { emulator } = useMoto();

// Runs between processes are in lockRace.test.ts; this is the CLI's contract around a held lock.
describe("the apply lock against moto", () => {
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
  });

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

  // Each project's groups carry parity:project: neither takes the other's for its own (issue 8, finding 1).
  it("applies two projects' environments of one name at once without touching each other", async () => {
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
