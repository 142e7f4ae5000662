import { beforeAll, describe, expect, it } from "vitest";
import { baseline, describeTrial, EXAMPLES, runTrial } from "../support/faultTrial.js";
import type { Example, TrialResult } from "../support/faultTrial.js";
import type { FaultRule } from "../support/faultProxy.js";
import type { Inventory } from "../support/inventory.js";
import { useMoto } from "../support/harness.js";

const { emulator } = useMoto();

/**
 * A few fixed seeds per example, so CI stays within minutes; bench/fault-soak.ts runs many. Each
 * seed reproduces its trial: the proxy draws faults per operation and occurrence from it.
 */
const SEEDS: Record<Example, number[]> = { khorium: [101, 102], chatmrpt: [201, 202, 203] };

/**
 * Calls whose lost answer (moto carried them out, the client never heard) leaves a duplicate
 * behind in moto, which honours no idempotency token for them: the re-run must remove it.
 */
const LOST_ANSWERS: Record<Example, [string, string][]> = {
  khorium: [["elasticloadbalancing", "CreateListener"]],
  chatmrpt: [
    ["ec2", "RunInstances"],
    ["ec2", "CreateImage"],
    ["elasticloadbalancing", "CreateLoadBalancer"],
  ],
};

const CLEAN = { converged: [], duplicates: [], missing: [], rerunFailures: [], rerunPlan: undefined };

function verdict(result: TrialResult) {
  return {
    converged: result.left,
    duplicates: result.duplicates,
    missing: result.missing,
    rerunFailures: result.rerun?.failed ?? [],
    rerunPlan: result.rerun?.planError,
  };
}

describe.each(EXAMPLES)("applying %s through a proxy that faults calls", (example) => {
  let yardstick: Inventory;
  const trial = async (seed: number, options: { rate: number; rules?: FaultRule[] }) => {
    const result = await runTrial(emulator(), example, seed, yardstick, options);
    console.log(describeTrial(result));
    return result;
  };
  beforeAll(async () => {
    yardstick = await baseline(emulator(), example);
  }, 180_000);

  it.each(SEEDS[example])(
    "converges, one call in five faulted, after at most one re-run without faults, with no duplicate (seed %i)",
    async (seed) => {
      const result = await trial(seed, { rate: 0.2 });
      expect(
        Object.values(result.faults).reduce((a, b) => a + b, 0),
        "faults injected",
      ).toBeGreaterThan(0);
      expect(verdict(result), describeTrial(result)).toEqual(CLEAN);
    },
    240_000,
  );

  it.each(LOST_ANSWERS[example])(
    "removes the duplicate a lost answer to %s %s leaves, in one re-run",
    async (service, operation) => {
      const result = await trial(0, {
        rate: 0,
        rules: [{ service, operation, fault: "dropAfter", times: 1 }],
      });
      expect(result.injected, "the fault was injected").toHaveLength(1);
      expect(verdict(result), describeTrial(result)).toEqual(CLEAN);
    },
    120_000,
  );

  if (example === "khorium") {
    // A restore that fails after its fresh snapshot of the source was taken (soak seeds 1033 and
    // 1036 hit it through throttling and a DescribeDBSnapshots timeout) used to leave that snapshot
    // behind when the re-run took another: a second copy of the source's data. The re-run reuses it.
    it("a restore that fails after its snapshot leaves no second snapshot behind after the re-run", async () => {
      const result = await trial(0, {
        rate: 0,
        rules: [
          { service: "rds", operation: "RestoreDBInstanceFromDBSnapshot", fault: "throttle", times: 3 },
        ],
      });
      expect(result.faulty.failed.map((f) => f.address)).toEqual(["databases.main"]);
      expect(verdict(result), describeTrial(result)).toEqual(CLEAN);
    }, 120_000);
  }
});
