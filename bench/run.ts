/**
 * `npm run bench [-- --sizes 5,20,60] [--repeat 3] [--no-terraform]`: plan, apply and steady-state plan time
 * and AWS API calls of parity and of Terraform, on a freshly reset moto for each tool and size.
 * Calls are counted by moto's recorder. Results: a table on stdout, bench/results/latest.{json,md}.
 */
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { applySession, kinds, load, planLoaded } from "../src/cli/workflow.js";
import type { PlanSession } from "../src/cli/workflow.js";
import { startMoto } from "../src/emulator/moto.js";
import type { Emulator } from "../src/emulator/moto.js";
import { ParityError } from "../src/model/index.js";
import { recorded } from "./recorder.js";
import type { Calls } from "./recorder.js";
import { plannedChanges, terraform, terraformInit, terraformSetup } from "./terraform.js";
import type { TerraformSetup } from "./terraform.js";
import { parityYaml, terraformHcl, workload } from "./workload.js";

type Tool = "parity" | "terraform";
/** `validate` (Terraform only) is no phase: it shows the fixed cost of starting the AWS provider. */
type Phase = "cold plan" | "apply" | "steady plan" | "validate";
const PHASES: Phase[] = ["cold plan", "apply", "steady plan"];
/** `changes`: what the plan proposed (a steady plan should say 0). */
type Row = { tool: Tool; size: number; phase: Phase; seconds: number; calls: Calls; changes?: number };

// The SDK's notice that it will need Node 22 from 2027 is not news here (the README says it once).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "5,20,60" },
    repeat: { type: "string", default: "1" },
    "no-terraform": { type: "boolean", default: false },
  },
});
const sizes = String(values.sizes)
  .split(",")
  .map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 500)) {
  console.error("--sizes must be a comma-separated list of resource counts from 1 to 500, e.g. --sizes 5,20");
  process.exit(1);
}

const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 9) {
  console.error("--repeat must be a whole number from 1 to 9 (each phase then reports its median time)");
  process.exit(1);
}

// The emulator ignores credentials, but the SDKs want some: never let a real profile be read.
process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SECRET_ACCESS_KEY = "testing";
delete process.env.AWS_PROFILE;

const withTargetGroups = kinds.some((k) => k.key === "targetGroups");
let tf: TerraformSetup = values["no-terraform"] ? { ok: false, reason: "--no-terraform" } : terraformSetup();
if (!tf.ok) console.log(`Terraform column skipped: ${tf.reason}.`);
const terraformVersion = tf.ok ? `, Terraform ${tf.version}` : "";

const log = (line: string) => console.error(line);
const seconds = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
};

/** Reset, then one EC2 and one ELBv2 read outside the recording: moto loads a backend on first use. */
async function fresh(emulator: Emulator): Promise<void> {
  await emulator.reset();
  const config = { region: "us-west-1", endpoint: emulator.endpoint };
  const ec2 = new EC2Client(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  await ec2.send(new DescribeVpcsCommand({}));
  await elbv2.send(new DescribeTargetGroupsCommand({}));
  ec2.destroy();
  elbv2.destroy();
}

async function parityPlan(file: string, endpoint: string): Promise<PlanSession> {
  const { loaded, diagnostics } = load(file);
  if (!loaded) throw new Error(`invalid bench file: ${diagnostics.map((d) => d.message).join("; ")}`);
  const session = await planLoaded(loaded, { endpoint });
  if (session.errors.length > 0) throw new Error(session.errors.map((e) => e.message).join("; "));
  return session;
}

const changesOf = (session: PlanSession) => session.plan.changes.filter((c) => c.action !== "no-op").length;

async function benchParity(emulator: Emulator, file: string, size: number): Promise<Row[]> {
  const endpoint = emulator.endpoint;
  await fresh(emulator);
  const rows: Row[] = [];
  const plan = await recorded(endpoint, () => seconds(() => parityPlan(file, endpoint)));
  rows.push({
    tool: "parity",
    size,
    phase: "cold plan",
    seconds: plan.value.seconds,
    calls: plan.calls,
    changes: changesOf(plan.value.value),
  });
  const session = plan.value.value;
  try {
    const apply = await recorded(endpoint, () => seconds(() => applySession(session)));
    const failed = apply.value.value.failed;
    if (failed.length > 0)
      throw new Error(`parity apply failed: ${failed.map((f) => `${f.address}: ${f.error}`).join("; ")}`);
    rows.push({ tool: "parity", size, phase: "apply", seconds: apply.value.seconds, calls: apply.calls });
  } finally {
    session.ctx.destroy();
  }
  const steady = await recorded(endpoint, () => seconds(() => parityPlan(file, endpoint)));
  steady.value.value.ctx.destroy();
  rows.push({
    tool: "parity",
    size,
    phase: "steady plan",
    seconds: steady.value.seconds,
    calls: steady.calls,
    changes: changesOf(steady.value.value),
  });
  return rows;
}

/**
 * One untimed parity plan first: the first one in a process also loads and compiles the SDK
 * clients, which would otherwise be charged to whichever size happens to run first.
 */
async function warmUp(emulator: Emulator, work: string): Promise<void> {
  const file = join(work, "warm-up.yaml");
  writeFileSync(file, parityYaml(workload(2, withTargetGroups)));
  await fresh(emulator);
  (await parityPlan(file, emulator.endpoint)).ctx.destroy();
}

async function benchTerraform(
  setup: Extract<TerraformSetup, { ok: true }>,
  emulator: Emulator,
  dir: string,
  size: number,
): Promise<Row[]> {
  // The emulator was reset: state from an earlier repetition describes resources that are gone.
  for (const name of ["terraform.tfstate", "terraform.tfstate.backup", "bench.tfplan"])
    rmSync(join(dir, name), { force: true });
  await fresh(emulator);
  const steps: [Phase, string[]][] = [
    ["validate", ["validate"]],
    ["cold plan", ["plan", "-input=false", "-out=bench.tfplan"]],
    ["apply", ["apply", "-input=false", "bench.tfplan"]],
    ["steady plan", ["plan", "-input=false", "-detailed-exitcode"]],
  ];
  const rows: Row[] = [];
  for (const [phase, args] of steps) {
    const { value: run, calls } = await recorded(emulator.endpoint, () => terraform(setup, dir, args));
    const ok = run.code === 0 || (phase === "steady plan" && run.code === 2);
    if (!ok)
      throw new Error(`terraform ${args[0]} failed (exit ${run.code}): ${run.stderr.trim().slice(0, 400)}`);
    const changes = phase === "apply" ? undefined : plannedChanges(run.stdout);
    rows.push({
      tool: "terraform",
      size,
      phase,
      seconds: run.seconds,
      calls,
      ...(changes !== undefined ? { changes } : {}),
    });
  }
  return rows;
}

/** Per phase, the repetition with the median time (its calls are reported with it). */
function medians(runs: Row[][]): Row[] {
  const first = runs[0] ?? [];
  return first.map((_, i) => {
    const sorted = runs.map((run) => run[i] as Row).sort((a, b) => a.seconds - b.seconds);
    return sorted[Math.floor((sorted.length - 1) / 2)] as Row;
  });
}

async function repeated(run: () => Promise<Row[]>): Promise<Row[]> {
  const runs: Row[][] = [];
  for (let i = 0; i < repeat; i++) runs.push(await run());
  return medians(runs);
}

function cell(row: Row | undefined): [string, string] {
  if (!row) return ["–", "–"];
  const drift = row.phase === "steady plan" && row.changes ? ` (${row.changes} changes)` : "";
  return [`${row.seconds.toFixed(2)} s${drift}`, String(row.calls.total)];
}

function markdown(rows: Row[], sizesRun: number[], note: string): string {
  const find = (tool: Tool, size: number, phase: Phase) =>
    rows.find((r) => r.tool === tool && r.size === size && r.phase === phase);
  const lines = [
    "| resources | phase | parity time | parity calls | terraform time | terraform calls |",
    "| ---: | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const size of sizesRun)
    for (const phase of PHASES)
      lines.push(
        `| ${size} | ${phase} | ${[...cell(find("parity", size, phase)), ...cell(find("terraform", size, phase))].join(" | ")} |`,
      );
  const largest = sizesRun[sizesRun.length - 1];
  lines.push("", `Steady-state plan calls by action at ${largest} resources:`, "");
  for (const tool of ["parity", "terraform"] as Tool[]) {
    const row = largest !== undefined ? find(tool, largest, "steady plan") : undefined;
    if (!row) continue;
    const parts = Object.entries(row.calls.byAction)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([name, n]) => `${name} ×${n}`);
    lines.push(`- ${tool}: ${parts.join(", ")}`);
  }
  const validate = rows.filter((r) => r.phase === "validate");
  if (validate.length > 0)
    lines.push(
      "",
      `\`terraform validate\` (starts the AWS provider, makes no API calls): ${validate.map((r) => `${r.seconds.toFixed(2)} s`).join(", ")}.`,
    );
  if (note) lines.push("", note);
  return lines.join("\n") + "\n";
}

const work = mkdtempSync(join(tmpdir(), "parity-bench-"));
const emulator = await startMoto({ cwd: work }).catch((error: unknown) => {
  const hint = error instanceof ParityError && error.hint ? ` (${error.hint})` : "";
  console.error(`${error instanceof Error ? error.message : String(error)}${hint}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
const loadAtStart = loadavg()[0] ?? 0;
const rows: Row[] = [];
let note = tf.ok ? "" : `Terraform column skipped: ${tf.reason}.`;
try {
  await warmUp(emulator, work);
  for (const size of sizes) {
    const w = workload(size, withTargetGroups);
    const dir = join(work, `size-${size}`);
    mkdirSync(dir);
    const file = join(dir, "bench.yaml");
    writeFileSync(file, parityYaml(w));
    writeFileSync(join(dir, "main.tf"), terraformHcl(w, emulator.endpoint));
    log(`size ${size}: ${w.securityGroups} security groups, ${w.targetGroups} target groups`);
    for (const row of await repeated(() => benchParity(emulator, file, size))) {
      rows.push(row);
      log(`  parity    ${row.phase.padEnd(11)} ${row.seconds.toFixed(2)} s  ${row.calls.total} calls`);
    }
    if (!tf.ok) continue;
    try {
      const init = await terraformInit(tf, dir);
      if (init.code !== 0)
        throw new Error(`terraform init failed: ${init.stderr.trim().split("\n").slice(0, 3).join(" ")}`);
      const setup = tf;
      for (const row of await repeated(() => benchTerraform(setup, emulator, dir, size))) {
        rows.push(row);
        log(`  terraform ${row.phase.padEnd(11)} ${row.seconds.toFixed(2)} s  ${row.calls.total} calls`);
      }
    } catch (error) {
      tf = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      note = `Terraform column skipped from ${size} resources on: ${tf.reason}`;
      console.log(note);
    }
  }
} finally {
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}

const table = markdown(rows, sizes, note);
console.log("\n" + table);
const results = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(results, { recursive: true });
const timing = repeat > 1 ? `; times are the median of ${repeat} runs` : "";
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, ${process.platform}, Node ${process.version}${terraformVersion}, load average ${loadAtStart.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end`;
writeFileSync(
  join(results, "latest.md"),
  `Measured ${new Date().toISOString()} on ${machine}${timing}.\n\n${table}`,
);
writeFileSync(
  join(results, "latest.json"),
  JSON.stringify(
    { date: new Date().toISOString(), machine, sizes, repeat, withTargetGroups, note, rows },
    null,
    2,
  ) + "\n",
);
console.log(`Written to bench/results/latest.json and latest.md.`);
