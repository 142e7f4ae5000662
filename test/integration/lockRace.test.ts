import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parity, startParity, waitForOutput } from "../support/child.js";
import { gate } from "../support/gate.js";
import { actions, planFile, useMoto, writeEnvironment } from "../support/harness.js";
import { groupNames, lockValue, manyGroups } from "../support/lockTest.js";

const { emulator } = useMoto();

/** Waits for a condition the test cannot be told about (files another process writes). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

// Separate CLI processes on purpose: the lock is between runs, and Ctrl-C is a signal.
describe("the apply lock between processes", () => {
  it("lets one of two applies started together run; the other fails fast naming the holder", async () => {
    const endpoint = emulator().endpoint;
    // No group gets created until the loser is done, so the winner is sure to hold the lock then.
    const creates = await gate(endpoint, (call) => call === "ec2:CreateSecurityGroup");
    try {
      const file = writeEnvironment(manyGroups(10));
      const args = ["apply", file, "--auto-approve", "--concurrency", "1"];
      // Both children load, then wait at a barrier, so they really race for the lock.
      const barrier = join(dirname(file), "barrier");
      const options = { endpoint: creates.endpoint, barrier };
      const children = [startParity(args, options), startParity(args, options)];
      await until(() => readdirSync(dirname(file)).filter((f) => f.endsWith(".ready")).length === 2);
      writeFileSync(`${barrier}.go`, "");

      const first = await Promise.race(children.map((run) => run.done.then(() => run)));
      const loser = await first.done;
      expect(loser.code, first.output()).toBe(3);
      expect(loser.stderr).toMatch(
        /locktest\/us-west-1 is locked by \S+@\S+ \(pid \d+\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, last heartbeat \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(plan [0-9a-f]{6}…, [^)]+\); if that run is dead: parity unlock \S+ --force/,
      );
      expect(loser.stdout).not.toContain("creating");
      const other = children.find((run) => run !== first);
      expect(other?.child.exitCode, "the winner finished before the loser gave up").toBeNull();

      creates.open();
      const winner = await other?.done;
      expect(winner?.code, other?.output()).toBe(0);
      expect(winner?.stdout).toContain("Apply: 10 done.");
      expect(await groupNames(endpoint)).toHaveLength(10);
      expect(await lockValue(endpoint)).toBeUndefined();
    } finally {
      creates.open();
      await creates.close();
    }
  });

  it("releases the lock when the apply is interrupted, and a re-run converges", async () => {
    const endpoint = emulator().endpoint;
    // The first group is created; the second is held in flight while the apply is interrupted.
    let creates = 0;
    const second = await gate(endpoint, (call) => call === "ec2:CreateSecurityGroup" && ++creates > 1);
    try {
      const file = writeEnvironment(manyGroups(8));
      const run = startParity(["apply", file, "--auto-approve", "--concurrency", "1"], {
        endpoint: second.endpoint,
      });
      await second.holding(1);
      expect(await lockValue(endpoint)).toContain('"planDigest"');
      run.child.kill("SIGINT");
      await waitForOutput(run, /Interrupted: starting nothing new/);
      second.open();
      const stopped = await run.done;
      expect(stopped.code, run.output()).toBe(1);
      expect(stopped.stdout).toMatch(/not started/);
      expect(await lockValue(endpoint)).toBeUndefined();
      // The one in flight finished; nothing new started after Ctrl-C.
      expect(await groupNames(endpoint)).toEqual(["locktest-g0", "locktest-g1"]);

      const again = await parity(["apply", file, "--auto-approve"], { endpoint });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(await groupNames(endpoint)).toHaveLength(8);
      const replan = await planFile(file, endpoint);
      replan.ctx.destroy();
      expect(actions(replan.plan)).toEqual([]);
    } finally {
      second.open();
      await second.close();
    }
  });
});
