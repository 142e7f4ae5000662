import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Plan } from "../../src/model/index.js";
import { parity } from "./child.js";
import type { ChildResult } from "./child.js";
import { tempDir } from "./harness.js";

export type Trip = { file: string; text: string; exported: ChildResult; planned: ChildResult; plan: Plan };

/**
 * `parity export` into a file, then `parity plan --json` of that file, both through the CLI the
 * way a person runs them. `env` holds the variables the file's secrets are read from.
 */
export async function exportThenPlan(
  endpoint: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Trip> {
  const file = join(tempDir(), "exported.yaml");
  const exported = await parity(["--region", "us-west-1", "export", ...args, "--out", file], {
    endpoint,
    env,
  });
  expect(exported.code, exported.stderr).toBe(0);
  const text = readFileSync(file, "utf8");
  const planned = await parity(["plan", file, "--json"], { endpoint, env });
  expect(planned.code, `${planned.stderr}\n${text}`).toBe(0);
  return { file, text, exported, planned, plan: JSON.parse(planned.stdout) as Plan };
}

/** Every change of the plan: address → action, with the attributes it would change. */
export function changesOf(plan: Plan): { address: string; action: string; paths: string[] }[] {
  return plan.changes.map((c) => ({
    address: c.address,
    action: c.action,
    paths: c.attributes.map((a) => a.path),
  }));
}

/** The contract: the written file plans as adoptions of exactly these addresses, changing nothing. */
export function expectOnlyAdopts(trip: Trip, addresses: string[]): void {
  const changes = changesOf(trip.plan).sort((a, b) => a.address.localeCompare(b.address));
  expect(changes, trip.text).toEqual(
    [...addresses].sort().map((address) => ({ address, action: "adopt", paths: [] })),
  );
}
