import { describe, expect, it } from "vitest";
import type { Comparison } from "../../src/model/index.js";
import { seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";
import { parity } from "../support/child.js";
import { applyFile, useMoto } from "../support/harness.js";
import { stageExample } from "../support/stage.js";

const { emulator } = useMoto();

const rowsOf = (c: Comparison) => c.rows.map((r) => [r.address, r.path ?? null, r.gap]);

describe("the chatmrpt runbook's first table, from the live before-state", () => {
  it("lists what staging lacks of production, and after the apply only the declared differences", async () => {
    const { endpoint } = emulator();
    const ids = await seedChatmrpt(endpoint);
    const production = stageExample("chatmrpt", "production.yaml", ids);
    const staging = stageExample("chatmrpt", "staging.yaml", ids);
    const compare = async () => {
      const run = await parity(["compare", production, staging, "--json"], { endpoint });
      return {
        code: run.code,
        comparison: JSON.parse(run.stdout) as Comparison,
        output: run.stdout + run.stderr,
      };
    };

    const before = await compare();
    expect(before.code).toBe(2);
    expect(rowsOf(before.comparison)).toEqual([
      ["securityGroups.alb", null, "missing-in-b"],
      ["securityGroups.app", "ingress", "differs"],
      ["instances.web[1]", null, "missing-in-b"],
      ["targetGroups.web", null, "missing-in-b"],
      ["loadBalancers.web", null, "missing-in-b"],
      ["loadBalancers.web.listeners[80]", null, "missing-in-b"],
      ["caches.sessions", null, "missing-in-b"],
      ["appEnv.values.REDIS_URL", null, "missing-in-b"],
    ]);

    await applyFile(staging, endpoint);
    const after = await compare();
    expect(rowsOf(after.comparison)).toEqual([]);
    expect(after.code).toBe(0);
    expect(after.comparison.expected.map((r) => [r.address, r.path ?? null])).toEqual([
      ["securityGroups.alb", "egress"],
      ["securityGroups.cache", null],
      ["instances.web.image", null],
      ["instances.web[1]", "image"],
      ["instances.web[1]", "subnet"],
      ["loadBalancers.web", "crossZone"],
      ["caches.sessions", "atRestEncryption"],
    ]);
  });
});
