import { PutParameterCommand } from "@aws-sdk/client-ssm";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";
import { LOCK, groupNames, lockValue, manyGroups, ssm } from "../support/lockTest.js";

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
});
