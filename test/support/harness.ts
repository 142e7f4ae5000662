import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, beforeEach, inject } from "vitest";
import { applySession, load, planLoaded } from "../../src/cli/workflow.js";
import type { PlanScope, PlanSession } from "../../src/cli/workflow.js";
import type { ReadFile } from "../../src/config/index.js";
import type { ApplyResult } from "../../src/engine/apply.js";
import type { Change, Plan } from "../../src/model/index.js";

process.env.AWS_ACCESS_KEY_ID ??= "testing";
process.env.AWS_SECRET_ACCESS_KEY ??= "testing";

/** The endpoint of this worker's moto_server (see motoPool.ts), started on first use. */
async function workerMoto(): Promise<string> {
  const pool = inject("motoPool");
  const answer = await fetch(`${pool}/moto/${process.env.VITEST_POOL_ID ?? "1"}`);
  const body = (await answer.json()) as { endpoint?: string; error?: string };
  if (!body.endpoint) throw new Error(body.error ?? `the moto pool answered ${answer.status}`);
  return body.endpoint;
}

/** A test's emulator: where it answers, and how to empty it (tests that run several trials reset it between them). */
export type TestEmulator = { endpoint: string; reset(): Promise<void> };

async function reset(endpoint: string): Promise<void> {
  const answer = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  if (!answer.ok) throw new Error(`resetting moto at ${endpoint} failed: ${answer.status}`);
}

/**
 * Gives the test file this worker's moto_server and resets it before each test. A missing
 * moto_server fails the suite with the install hint; it never skips.
 */
export function useMoto(): { emulator: () => TestEmulator } {
  let endpoint: string | undefined;
  beforeAll(async () => {
    endpoint = await workerMoto();
  });
  beforeEach(async () => {
    if (endpoint) await reset(endpoint);
  });
  return {
    emulator: () => {
      if (!endpoint) throw new Error("moto_server is not running");
      const at = endpoint;
      return { endpoint: at, reset: () => reset(at) };
    },
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "parity-test-"));
}

/** Writes an environment file (plus any extra files) into a fresh directory; returns its path. */
export function writeEnvironment(yaml: string, extra: Record<string, string> = {}): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  const file = join(dir, "env.yaml");
  writeFileSync(file, yaml);
  return file;
}

/** What else a plan can be narrowed or sourced by: `--target`/`--exclude`, `--ref` (a git reader). */
export type PlanInputs = { scope?: PlanScope; read?: ReadFile };

export async function planFile(
  file: string,
  endpoint: string,
  secrets: Record<string, string | undefined> = process.env,
  inputs: PlanInputs = {},
): Promise<PlanSession> {
  const { loaded, diagnostics } = load(file, { secrets, ...(inputs.read ? { read: inputs.read } : {}) });
  if (!loaded) throw new Error(`invalid environment:\n${diagnostics.map((d) => d.message).join("\n")}`);
  const session = await planLoaded(loaded, { endpoint }, inputs.scope);
  if (session.errors.length > 0) {
    session.ctx.destroy();
    throw new Error(`plan errors:\n${session.errors.map((d) => `${d.path}: ${d.message}`).join("\n")}`);
  }
  return session;
}

/**
 * The plan alone, as `parity plan --json` would print it, without starting a process: for
 * tests about what is planned rather than about the command line.
 */
export async function livePlan(file: string, endpoint: string, inputs: PlanInputs = {}): Promise<Plan> {
  const session = await planFile(file, endpoint, process.env, inputs);
  session.ctx.destroy();
  return session.plan;
}

/** Plans and applies; fails the test if any operation failed. */
export async function applyFile(
  file: string,
  endpoint: string,
  secrets: Record<string, string | undefined> = process.env,
): Promise<{ session: PlanSession; result: ApplyResult }> {
  const session = await planFile(file, endpoint, secrets);
  try {
    const result = await applySession(session);
    if (result.failed.length > 0) {
      throw new Error(`apply failed: ${result.failed.map((f) => `${f.address}: ${f.error}`).join("; ")}`);
    }
    return { session, result };
  } finally {
    session.ctx.destroy();
  }
}

/** The changes that do something, as `action address` lines, for exact assertions. */
export function actions(plan: Plan): string[] {
  return plan.changes.filter((c) => c.action !== "no-op").map((c) => `${c.action} ${c.address}`);
}

export function change(plan: Plan, address: string): Change {
  const found = plan.changes.find((c) => c.address === address);
  if (!found)
    throw new Error(`no change for ${address}; plan has ${plan.changes.map((c) => c.address).join(", ")}`);
  return found;
}
