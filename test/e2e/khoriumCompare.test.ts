import { describe, expect, it } from "vitest";
import type { Comparison } from "../../src/model/index.js";
import { seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { parity } from "../support/child.js";
import { useMoto } from "../support/harness.js";

const { emulator } = useMoto();

describe("the khorium runbook's first table, from the live before-state", () => {
  it("compares dev with the promotion file: what staging lacks counts, what it adds on purpose does not", async () => {
    await seedKhorium(emulator().endpoint);
    const run = await parity(
      ["compare", "examples/khorium/dev.yaml", "examples/khorium/staging.yaml", "--json"],
      {
        endpoint: emulator().endpoint,
      },
    );
    expect(run.code, run.stderr).toBe(2);
    const comparison = JSON.parse(run.stdout) as Comparison;
    expect(comparison.rows.map((r) => [r.address, r.path ?? null, r.gap])).toEqual([
      ["buckets.assets", null, "missing-in-b"],
      ["distributions.site", null, "missing-in-b"],
      ["databases.main", "restoreFrom", "differs"],
    ]);
    expect(comparison.expected.map((r) => r.address)).toEqual([
      "securityGroups.db",
      "instances.web[0]",
      "certificates.alb",
      "certificates.cdn",
      "loadBalancers.web.listeners[443]",
      "buckets.frontend",
      "appEnv.deliver",
      "appEnv.values.CORS_ORIGINS",
      "appEnv.values.DATABASE_URL",
      "appEnv.values.S3_BUCKET_NAME",
    ]);
    // The seeded master passwords are never read, let alone printed.
    expect(run.stdout + run.stderr).not.toMatch(/password-not-secret/);
  });
});
