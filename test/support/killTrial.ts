// One kill -9 trial: apply an example, kill the CLI with SIGKILL after a chosen AWS call, re-run
// plain `parity apply` (never `unlock --force`), then compare the account with a converged
// reference. Shared by the integration test (a few trials) and bench/kill-soak.ts (many). No
// vitest import here, so the bench can run it as a plain script.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applySession, load, planLoaded } from "../../src/cli/workflow.js";
import type { TestEmulator } from "./harness.js";
import { seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";
import { seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { parity, startParity } from "./child.js";
import { compareInventories, takeInventory as inventory } from "./inventory.js";
import type { Inventory } from "./inventory.js";
import { lockParameters } from "./lockState.js";

export const EXAMPLES = ["chatmrpt", "khorium"] as const;
export type Example = (typeof EXAMPLES)[number];

const REGION = "us-west-1";
const SECRETS = { STAGING_DATABASE_URL: "postgres://khorium:kill-trial@db:5432/khorium" };
/** Re-runs after the kill before a trial counts as not converging. */
const MAX_RERUNS = 3;

type Scenario = { file: string; args: string[]; env: Record<string, string> };

async function stage(example: Example, endpoint: string): Promise<Scenario> {
  const ids =
    example === "chatmrpt" ? await seedChatmrpt(endpoint, REGION) : await seedKhorium(endpoint, REGION);
  let text = readFileSync(join(import.meta.dirname, "../../examples", example, "staging.yaml"), "utf8");
  for (const [from, to] of Object.entries(ids)) text = text.split(from).join(to);
  const file = join(mkdtempSync(join(tmpdir(), "parity-kill-")), "staging.yaml");
  writeFileSync(file, text);
  // khorium replaces its protected database (restore from a fresh snapshot of dev); checks need real DNS.
  const extra = example === "khorium" ? ["--allow-destroy"] : [];
  return { file, args: ["apply", file, "--auto-approve", "--no-checks", ...extra], env: SECRETS };
}

/** The `--verbose` line each AWS request prints, `aws <service> <Operation>`. */
const CALL = /^aws \S+ \S+$/;

/** `sequence`: the calls a complete apply makes, in order, as `<service> <Operation>`. */
export type Calibration = { example: Example; calls: number; sequence: string[]; reference: Inventory };

export type Phase = "taking the lock" | "planning" | "walking" | "verifying" | "releasing";

/**
 * Which part of apply call `n` (1-based) of the calibrated run belongs to: the first call takes the
 * lock, the last two release it (read, then delete), and the walk spans the first to the last
 * call that changes something in between.
 */
export function phaseOf(calibration: Calibration, n: number): Phase {
  const { sequence } = calibration;
  const releaseFrom = sequence.length - 1;
  const changes = sequence
    .map((call, i) => ({ i: i + 1, call }))
    .filter(({ i, call }) => i > 1 && i < releaseFrom && !/ (Describe|Get|List|Head)/.test(call));
  const first = changes[0]?.i ?? releaseFrom;
  const last = changes[changes.length - 1]?.i ?? releaseFrom;
  if (n <= 1) return "taking the lock";
  if (n >= releaseFrom) return "releasing";
  if (n < first) return "planning";
  return n <= last ? "walking" : "verifying";
}

/**
 * A complete apply of the example, in process (no CLI start-up to pay for): the AWS calls it makes
 * in the CLI's order (take the lock, plan, walk, re-plan, release) and the account it leaves.
 */
export async function calibrate(
  emulator: Pick<TestEmulator, "endpoint" | "reset">,
  example: Example,
): Promise<Calibration> {
  await emulator.reset();
  const endpoint = emulator.endpoint;
  const scenario = await stage(example, endpoint);
  const { loaded, diagnostics } = load(scenario.file, { secrets: scenario.env });
  if (!loaded)
    throw new Error(`${scenario.file} does not load: ${diagnostics.map((d) => d.message).join("; ")}`);
  const calls: string[] = [];
  const connection = {
    endpoint,
    onCall: (service: string, operation: string) => calls.push(`${service} ${operation}`),
  };
  const session = await planLoaded(loaded, connection);
  try {
    const result = await applySession(session, { allowDestroy: scenario.args.includes("--allow-destroy") });
    const failed = result.failed.map((f) => `${f.address}: ${f.error}`);
    if (failed.length) throw new Error(`the ${example} apply failed without any kill: ${failed.join("; ")}`);
  } finally {
    session.ctx.destroy();
  }
  const again = await planLoaded(loaded, connection);
  again.ctx.destroy();
  const left = again.plan.changes.filter((c) => c.action !== "no-op").map((c) => c.address);
  if (left.length) throw new Error(`the ${example} apply did not converge: ${left.join(", ")}`);
  const sequence = ["ssm PutParameter", ...calls, "ssm GetParameter", "ssm DeleteParameter"];
  return { example, calls: sequence.length, sequence, reference: await inventory(endpoint, REGION) };
}

export type TrialResult = {
  example: Example;
  /** The kill was sent once this many AWS calls had started (1-based). */
  killAfterCall: number;
  /** The last call the CLI started before it died, e.g. `ec2 RunInstances`. */
  killedDuring: string;
  /** false: the apply finished before reaching the kill point. */
  killed: boolean;
  /** A lock (or takeover marker) was left behind by the kill. */
  lockLeft: boolean;
  /** The first re-run printed that it took the dead run's lock over. */
  tookOver: boolean;
  /** Re-runs until one exited 0 (MAX_RERUNS + 1: never). */
  reruns: number;
  /** A fresh plan after the re-runs shows no changes. */
  converged: boolean;
  duplicates: string[];
  unexpected: string[];
  missing: string[];
  extraBackups: string[];
  /** Lock parameters still there after the re-runs. */
  locksAfter: string[];
  /** The output of the killed run and of every re-run, to diagnose a failed trial. */
  log: string;
};

/** Runs until `killAfterCall` AWS calls have started, then SIGKILLs it; resolves when it is gone. */
async function applyAndKill(
  scenario: Scenario,
  endpoint: string,
  killAfterCall: number,
): Promise<{ killed: boolean; lastCall: string; output: string }> {
  const run = startParity([...scenario.args, "--verbose"], { endpoint, env: scenario.env });
  let calls = 0;
  let lastCall = "";
  let partial = "";
  run.child.stderr?.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!CALL.test(line) || calls >= killAfterCall) continue;
      calls++;
      lastCall = line.slice("aws ".length);
      if (calls === killAfterCall) run.child.kill("SIGKILL");
    }
  });
  const result = await run.done;
  return { killed: result.signal === "SIGKILL", lastCall, output: result.stdout + result.stderr };
}

/** One trial of `example`, killed after call `killAfterCall` of a calibrated apply. */
export async function killTrial(
  emulator: Pick<TestEmulator, "endpoint" | "reset">,
  calibration: Calibration,
  killAfterCall: number,
): Promise<TrialResult> {
  const { example } = calibration;
  const endpoint = emulator.endpoint;
  await emulator.reset();
  const scenario = await stage(example, endpoint);
  const killedRun = await applyAndKill(scenario, endpoint, killAfterCall);
  const log = [`--- apply killed after call ${killAfterCall} (${killedRun.lastCall})\n${killedRun.output}`];
  const lockLeft = Object.keys(await lockParameters(endpoint)).length > 0;

  let reruns = 0;
  let tookOver = false;
  for (let n = 1; n <= MAX_RERUNS; n++) {
    reruns = n;
    const again = await parity(scenario.args, { endpoint, env: scenario.env });
    log.push(`--- re-run ${n}: exit ${again.code}\n${again.stdout}${again.stderr}`);
    if (n === 1) tookOver = /^Took over the lock on /m.test(again.stderr);
    if (again.code === 0) break;
    if (n === MAX_RERUNS) reruns = MAX_RERUNS + 1;
  }

  const { loaded } = load(scenario.file, { secrets: scenario.env });
  if (!loaded) throw new Error(`${scenario.file} does not load`);
  const session = await planLoaded(loaded, { endpoint });
  session.ctx.destroy();
  const left = session.plan.changes
    .filter((c) => c.action !== "no-op")
    .map((c) => `${c.action} ${c.address}`);
  if (left.length) log.push(`--- plan after the re-runs:\n${left.join("\n")}`);
  const differences = compareInventories(calibration.reference, await inventory(endpoint, REGION));
  return {
    example,
    killAfterCall,
    killedDuring: killedRun.lastCall,
    killed: killedRun.killed,
    lockLeft,
    tookOver,
    reruns,
    converged: left.length === 0 && session.errors.length === 0,
    ...differences,
    locksAfter: Object.keys(await lockParameters(endpoint)),
    log: log.join("\n"),
  };
}

/** One line per trial, for the test's output and the soak's table. */
export function describeTrial(t: TrialResult): string {
  const kill = t.killed
    ? `killed after call ${t.killAfterCall} (${t.killedDuring})`
    : "finished before the kill";
  const lock = t.lockLeft
    ? t.tookOver
      ? "lock left, taken over"
      : "lock left, NOT taken over"
    : "no lock left";
  const outcome = t.converged ? "converged" : "NOT converged";
  const problems = [...t.duplicates, ...t.unexpected, ...t.missing].length;
  const backups = t.extraBackups.length ? ` (${t.extraBackups.join("; ")})` : "";
  return `${t.example}: ${kill}; ${lock}; ${t.reruns} re-run(s); ${outcome}; ${problems} inventory difference(s); ${t.extraBackups.length} extra backup kind(s)${backups}; ${t.locksAfter.length} lock(s) after`;
}
