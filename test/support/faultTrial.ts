import { applySession, load, planLoaded } from "../../src/cli/workflow.js";
import type { ConnectionOptions } from "../../src/cli/workflow.js";
import type { TestEmulator } from "./harness.js";
import type { AwsTimeouts } from "../../src/providers/aws/index.js";
import { seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";
import { seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { FAULT_KINDS, startFaultProxy } from "./faultProxy.js";
import type { Call, FaultKind, FaultRule, Injected } from "./faultProxy.js";
import { extras, isSafetySnapshot, shortfalls, takeInventory } from "./inventory.js";
import type { Inventory } from "./inventory.js";
import { stageExample } from "./stage.js";

export type Example = "khorium" | "chatmrpt";
export const EXAMPLES: Example[] = ["khorium", "chatmrpt"];

const REGION = "us-west-1";
const SECRETS = { STAGING_DATABASE_URL: "postgres://khorium:trial-secret@db:5432/khorium" };

/**
 * Short enough that a call the proxy never answers costs seconds, long enough for a cold moto
 * on a loaded machine; `slowMs` (the proxy's slow answers) stays well below it.
 */
export const TRIAL_TIMEOUTS: Partial<AwsTimeouts> = {
  connectMs: 2_000,
  requestMs: 5_000,
  maxAttempts: 3,
  slowOperations: {},
};
export const TRIAL_SLOW_MS = 1_000;

export type Attempt = {
  /** The plan could not be made (discovery failed past its retries): nothing was applied. */
  planError?: string;
  done: number;
  failed: { address: string; error: string }[];
  skipped: number;
};

export type TrialResult = {
  example: Example;
  seed: number;
  calls: number;
  faults: Record<FaultKind, number>;
  injected: Injected[];
  faulty: Attempt;
  /** The apply without faults, when the faulty one did not already converge. */
  rerun?: Attempt;
  /** What a plan without faults still wants after the re-run (empty: converged). */
  left: string[];
  /** Live resources beyond what a run without faults makes, right after the faulty apply. */
  leftByFaultyApply: { key: string; baseline: number; trial: number }[];
  /** Live resources beyond what a run without faults makes, at the end. */
  duplicates: { key: string; baseline: number; trial: number }[];
  /** Backups of instances terminated on the way (snapshotBeforeChange), which are not duplicates. */
  safetySnapshots: number;
  /** Live resources a run without faults makes and the trial does not. */
  missing: { key: string; baseline: number; trial: number }[];
};

async function seed(example: Example, endpoint: string): Promise<Record<string, string>> {
  return example === "khorium" ? seedKhorium(endpoint, REGION) : seedChatmrpt(endpoint, REGION);
}

/** Resets moto, creates the example's before-state and stages its file with the seeded ids. */
export async function stageTrial(
  moto: Pick<TestEmulator, "endpoint" | "reset">,
  example: Example,
): Promise<string> {
  await moto.reset();
  const ids = await seed(example, moto.endpoint);
  return stageExample(example, "staging.yaml", ids);
}

/** One `apply --auto-approve --allow-destroy`, in process: plan, then walk. Never throws. */
export async function applyOnce(file: string, connection: ConnectionOptions): Promise<Attempt> {
  const { loaded, diagnostics } = load(file, { secrets: SECRETS });
  if (!loaded) throw new Error(`${file} does not load: ${diagnostics.map((d) => d.message).join("; ")}`);
  let session;
  try {
    session = await planLoaded(loaded, connection);
  } catch (error) {
    return { planError: (error as Error).message, done: 0, failed: [], skipped: 0 };
  }
  try {
    if (session.errors.length > 0)
      return { planError: session.errors.map((e) => e.message).join("; "), done: 0, failed: [], skipped: 0 };
    const result = await applySession(session, { allowDestroy: true, concurrency: 10 });
    return {
      done: result.done.length,
      failed: result.failed,
      skipped: result.skipped.length + result.notStarted.length,
    };
  } finally {
    session.ctx.destroy();
  }
}

/** The changes a plan without faults still shows, as `action address`. */
export async function remaining(file: string, endpoint: string): Promise<string[]> {
  const { loaded } = load(file, { secrets: SECRETS });
  if (!loaded) throw new Error(`${file} does not load`);
  const session = await planLoaded(loaded, { endpoint });
  try {
    const errors = session.errors.map((e) => `error ${e.path}: ${e.message}`);
    return [
      ...errors,
      ...session.plan.changes
        .filter((c) => c.action !== "no-op")
        .map((c) => {
          const why = c.reason ?? c.attributes.map((a) => a.path).join(", ");
          return `${c.action} ${c.address}${why ? ` (${why})` : ""}`;
        }),
    ];
  } finally {
    session.ctx.destroy();
  }
}

/**
 * What a run without faults leaves behind: the yardstick for duplicates. It runs through a proxy
 * that injects nothing, to list the calls an apply makes.
 */
export async function baseline(
  moto: Pick<TestEmulator, "endpoint" | "reset">,
  example: Example,
): Promise<Inventory> {
  return (await baselineWithCalls(moto, example)).inventory;
}

export async function baselineWithCalls(
  moto: Pick<TestEmulator, "endpoint" | "reset">,
  example: Example,
): Promise<{ inventory: Inventory; calls: Call[] }> {
  const file = await stageTrial(moto, example);
  const proxy = await startFaultProxy({ target: moto.endpoint, rate: 0 });
  let attempt: Attempt;
  try {
    attempt = await applyOnce(file, { endpoint: proxy.endpoint });
  } finally {
    await proxy.stop();
  }
  const left = await remaining(file, moto.endpoint);
  if (attempt.planError || attempt.failed.length || left.length)
    throw new Error(
      `${example} does not converge even without faults: ${JSON.stringify({ attempt, left }, null, 2)}`,
    );
  return { inventory: await takeInventory(moto.endpoint, REGION), calls: [...proxy.calls] };
}

/**
 * Applies an example through the fault proxy, then at most once more without faults, and
 * compares what is live with a run that had none.
 */
export async function runTrial(
  moto: Pick<TestEmulator, "endpoint" | "reset">,
  example: Example,
  seed: number,
  yardstick: Inventory,
  options: { rate?: number; kinds?: readonly FaultKind[]; rules?: FaultRule[] } = {},
): Promise<TrialResult> {
  const file = await stageTrial(moto, example);
  const proxy = await startFaultProxy({
    target: moto.endpoint,
    seed,
    rate: options.rate ?? 0.2,
    kinds: options.kinds ?? FAULT_KINDS,
    slowMs: TRIAL_SLOW_MS,
    ...(options.rules ? { rules: options.rules } : {}),
  });
  let faulty: Attempt;
  try {
    faulty = await applyOnce(file, { endpoint: proxy.endpoint, timeouts: TRIAL_TIMEOUTS });
  } finally {
    await proxy.stop();
  }
  const afterFaulty = extras(yardstick, await takeInventory(moto.endpoint, REGION));
  let left = await remaining(file, moto.endpoint);
  let rerun: Attempt | undefined;
  if (left.length > 0) {
    rerun = await applyOnce(file, { endpoint: moto.endpoint });
    left = await remaining(file, moto.endpoint);
  }
  const live = await takeInventory(moto.endpoint, REGION);
  return {
    example,
    seed,
    calls: proxy.calls.length,
    faults: proxy.counts(),
    injected: [...proxy.log],
    faulty,
    ...(rerun ? { rerun } : {}),
    left,
    leftByFaultyApply: afterFaulty,
    duplicates: extras(yardstick, live),
    safetySnapshots: [...live.entries()]
      .filter(([key]) => isSafetySnapshot(key))
      .reduce((n, [, count]) => n + count, 0),
    missing: shortfalls(yardstick, live),
  };
}

/** One line a person can read, and reproduce from. */
export function describeTrial(r: TrialResult): string {
  const faults = Object.entries(r.faults)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const first = r.faulty.planError
    ? `plan failed (${r.faulty.planError})`
    : `${r.faulty.done} done, ${r.faulty.failed.length} failed, ${r.faulty.skipped} skipped`;
  const again = r.rerun
    ? `; re-run: ${r.rerun.planError ? `plan failed (${r.rerun.planError})` : `${r.rerun.done} done, ${r.rerun.failed.length} failed`}`
    : "; no re-run needed";
  const verdict = [
    r.leftByFaultyApply.length
      ? `the faulty apply left extra: ${r.leftByFaultyApply.map((d) => `${d.key} ×${d.trial}`).join(", ")}`
      : "",
    r.left.length ? `NOT converged: ${r.left.join(", ")}` : "converged",
    r.duplicates.length ? `DUPLICATES: ${r.duplicates.map((d) => `${d.key} ×${d.trial}`).join(", ")}` : "",
    r.missing.length ? `MISSING: ${r.missing.map((d) => d.key).join(", ")}` : "",
    r.safetySnapshots ? `${r.safetySnapshots} safety snapshot(s) of terminated instances` : "",
  ]
    .filter(Boolean)
    .join("; ");
  const failures = [...r.faulty.failed, ...(r.rerun?.failed ?? [])]
    .map((f) => `\n    ${f.address}: ${f.error}`)
    .join("");
  return `${r.example} seed ${r.seed}: ${r.calls} calls, faults: ${faults || "none"}; faulty apply: ${first}${again}; ${verdict}${failures}`;
}
