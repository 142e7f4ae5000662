/**
 * `npm run bench [-- --sizes 1,10,50,200] [--repeat 3] [--latency 100] [--no-terraform] [--no-crowd]`:
 * the full staging workload (bench/staging.ts) through the real CLI as a user runs it, process
 * start-up included, parity and Terraform side by side. Each tool has its own moto behind its own
 * loopback proxy, which counts the calls (and, for the latency run, answers each one late), so the
 * steady plans of both tools can be interleaved. Results (bench/report.ts): a table, the calls
 * behind it and a verdict per target of the issue, on stdout and in bench/results/latest.{json,md}.
 */
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundleCli, ROOT } from "../build/bundle.js";
import { startMoto } from "../src/emulator/moto.js";
import type { Emulator } from "../src/emulator/moto.js";
import { startFaultProxy } from "../test/support/faultProxy.js";
import type { FaultProxy } from "../test/support/faultProxy.js";
import { readsAndChanges, sequenceOf } from "./callShape.js";
import type { TimedCall } from "./callShape.js";
import { anImage, CROWD, createZone, crowdAccount } from "./crowd.js";
import { measure, median } from "./process.js";
import type { Measured } from "./process.js";
import { CROWDED, LATENCY, report, STEADY } from "./report.js";
import type { Calls, Crowded, Row, Startup, Tool } from "./report.js";
import { PASSWORD_VARIABLE, staging, stagingHcl, stagingYaml } from "./staging.js";
import { plannedChanges, terraformInit, terraformSetup } from "./terraform.js";
import type { TerraformSetup } from "./terraform.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1,10,50,200" },
    repeat: { type: "string", default: "3" },
    latency: { type: "string", default: "100" },
    "no-terraform": { type: "boolean", default: false },
    "no-crowd": { type: "boolean", default: false },
  },
});
const sizes = String(values.sizes)
  .split(",")
  .map((s) => Number(s.trim()));
const repeat = Number(values.repeat);
const latencyMs = Number(values.latency);
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 500) || !(repeat >= 1 && repeat <= 9)) {
  console.error("--sizes: instance counts from 1 to 500, e.g. 1,10; --repeat: 1 to 9");
  process.exit(1);
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  NO_COLOR: "1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  [PASSWORD_VARIABLE]: "bench-password",
  // Terraform's side of the same switches.
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_INPUT: "0",
  AWS_EC2_METADATA_DISABLED: "true",
};
// Never let a real profile be read.
delete env.AWS_PROFILE;
process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_SECRET_ACCESS_KEY = "testing";

let tf: TerraformSetup = values["no-terraform"] ? { ok: false, reason: "--no-terraform" } : terraformSetup();
const log = (line: string) => console.error(line);
if (!tf.ok) log(`Terraform column skipped: ${tf.reason}.`);

/** Another build of the CLI to measure (an older commit's `bin/parity.js`, for a before/after). */
const OTHER_CLI = process.env.PARITY_BENCH_CLI;
const CLI = OTHER_CLI ?? join(ROOT, "bin/parity.js");

type Seen = { calls: Calls; timed: TimedCall[] };

function callsOf(proxy: FaultProxy, from: number): Seen {
  const byAction: Record<string, number> = {};
  const timed: TimedCall[] = [];
  proxy.calls.slice(from).forEach((call, i) => {
    const name = `${call.service}:${call.operation}`;
    byAction[name] = (byAction[name] ?? 0) + 1;
    const span = proxy.spans[from + i];
    timed.push({
      name,
      startMs: span?.startMs ?? NaN,
      ...(span?.endMs !== undefined ? { endMs: span.endMs } : {}),
    });
  });
  return { calls: { total: timed.length, byAction }, timed };
}

type Side = { tool: Tool; moto: Emulator; proxy: FaultProxy; dir: string };

async function run(side: Side, args: string[]): Promise<Measured & Seen> {
  const from = side.proxy.calls.length;
  const measured =
    side.tool === "parity"
      ? await measure(process.execPath, [CLI, ...args, "--endpoint-url", side.proxy.endpoint], {
          cwd: side.dir,
          env,
        })
      : await measure("terraform", [...args, "-no-color"], {
          cwd: side.dir,
          env: { ...env, TF_CLI_CONFIG_FILE: join(side.dir, "bench.tfrc") },
        });
  return { ...measured, ...callsOf(side.proxy, from) };
}

/** What the phase's run says it would change; a failed run stops the bench with its output. */
function changesOf(side: Side, phase: string, m: Measured): number | undefined {
  const ok = m.code === 0 || (phase.includes("plan") && m.code === 2);
  if (!ok)
    throw new Error(`${side.tool} ${phase} failed (exit ${m.code}): ${(m.stderr || m.stdout).slice(0, 600)}`);
  if (side.tool === "terraform") return phase === "apply" ? undefined : plannedChanges(m.stdout);
  if (phase === "apply") return undefined;
  return /No changes\./.test(m.stdout) ? 0 : Number(/(\d+) to add/.exec(m.stdout)?.[1] ?? 1);
}

function row(side: Side, size: number, phase: string, m: Measured & Seen): Row {
  const changes = changesOf(side, phase, m);
  return {
    tool: side.tool,
    size,
    phase,
    seconds: m.seconds,
    ...(m.cpuSeconds !== undefined ? { cpuSeconds: m.cpuSeconds } : {}),
    calls: m.calls,
    // Only where every call takes the proxy's latency do calls sent together overlap measurably.
    ...(phase.includes(LATENCY) ? { sequence: sequenceOf(m.timed) } : {}),
    ...(phase === "apply" ? { split: readsAndChanges(m.calls.byAction) } : {}),
    ...(m.peakMb !== undefined ? { peakMb: m.peakMb } : {}),
    ...(changes !== undefined ? { changes } : {}),
  };
}

/** Reset, warm moto's EC2 backend (its first call takes a second), and make the DNS zone. */
async function fresh(side: Side, zone: string): Promise<string> {
  await side.moto.reset();
  const ec2 = new EC2Client({ region: "us-west-1", endpoint: side.moto.endpoint });
  await ec2.send(new DescribeVpcsCommand({}));
  ec2.destroy();
  await createZone(side.moto.endpoint, zone);
  return anImage(side.moto.endpoint);
}

const planArgs = (side: Side, file: string) =>
  side.tool === "parity"
    ? ["plan", file, "--detailed-exitcode"]
    : ["plan", "-input=false", "-detailed-exitcode"];

function medianRow(rows: Row[]): Row {
  const seconds = median(rows.map((r) => r.seconds));
  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const peaks = defined(rows.map((r) => r.peakMb));
  const cpu = defined(rows.map((r) => r.cpuSeconds));
  const chosen = [...rows].sort((a, b) => a.seconds - b.seconds)[Math.floor((rows.length - 1) / 2)] as Row;
  return {
    ...chosen,
    seconds,
    ...(peaks.length ? { peakMb: median(peaks) } : {}),
    ...(cpu.length ? { cpuSeconds: median(cpu) } : {}),
  };
}

const work = mkdtempSync(join(tmpdir(), "parity-bench-"));
const rows: Row[] = [];
const startup: Startup[] = [];
let crowded: Crowded | undefined;
const loadAtStart = loadavg()[0] ?? 0;
const sides: Side[] = [];
try {
  if (OTHER_CLI) log(`measuring the CLI at ${OTHER_CLI}`);
  else {
    log("building the CLI (npm run build's bundle)");
    rmSync(join(ROOT, "dist/cli"), { recursive: true, force: true });
    await bundleCli({ parity: "src/cli/main.ts" }, join(ROOT, "dist/cli"));
  }
  for (const tool of tf.ok ? (["parity", "terraform"] as Tool[]) : (["parity"] as Tool[])) {
    const moto = await startMoto({ cwd: work });
    sides.push({ tool, moto, proxy: await startFaultProxy({ target: moto.endpoint }), dir: "" });
  }
  const parity = sides[0] as Side;

  // Start-up: the same file validated, and --help, against a bare node.
  const probe = staging(10, "ami-00000000");
  const probeFile = join(work, "probe.yaml");
  writeFileSync(probeFile, stagingYaml(probe));
  for (const [what, command, args] of [
    ["node -e 0", process.execPath, ["-e", "0"]],
    ["parity --help", process.execPath, [CLI, "--help"]],
    ["parity validate", process.execPath, [CLI, "validate", probeFile]],
  ] as [string, string, string[]][]) {
    const times: number[] = [];
    for (let i = 0; i < Math.max(5, repeat); i++) times.push((await measure(command, args, { env })).seconds);
    startup.push({ what, seconds: median(times) });
    log(`${what.padEnd(16)} ${median(times).toFixed(3)} s`);
  }

  for (const size of sizes) {
    for (const side of sides) {
      side.dir = join(work, `${side.tool}-${size}`);
      mkdirSync(side.dir);
    }
    const images = await Promise.all(sides.map((side) => fresh(side, staging(size, "").zone)));
    const workloads = images.map((image) => staging(size, image));
    const file = join(parity.dir, "staging.yaml");
    writeFileSync(file, stagingYaml(workloads[0] as ReturnType<typeof staging>));
    log(`N = ${size}: ${size} instances, ${workloads[0]?.parameters} parameters`);
    const terraform = sides[1];
    if (terraform && tf.ok) {
      writeFileSync(join(terraform.dir, "bench.tfrc"), "disable_checkpoint = true\n");
      writeFileSync(
        join(terraform.dir, "main.tf"),
        stagingHcl(workloads[1] as ReturnType<typeof staging>, terraform.proxy.endpoint),
      );
      const init = await terraformInit(tf, terraform.dir);
      if (init.code !== 0) {
        tf = { ok: false, reason: `terraform init failed: ${init.stderr.trim().slice(0, 300)}` };
        log(tf.reason);
        sides.pop();
      }
    }
    const phases = (side: Side): [string, string[]][] =>
      side.tool === "parity"
        ? [
            ["cold plan", ["plan", file]],
            ["apply", ["apply", file, "--auto-approve"]],
          ]
        : [
            ["cold plan", ["plan", "-input=false", "-out=bench.tfplan"]],
            ["apply", ["apply", "-input=false", "bench.tfplan"]],
          ];
    for (const side of sides) {
      for (const [phase, args] of phases(side)) {
        const r = row(side, size, phase, await run(side, args));
        rows.push(r);
        log(`  ${side.tool.padEnd(9)} ${phase.padEnd(12)} ${r.seconds.toFixed(2)} s  ${r.calls.total} calls`);
      }
    }
    // Steady plans, the tools taking turns so both see the same moments of a busy machine.
    const steady = new Map<Tool, Row[]>();
    for (let i = 0; i < repeat; i++) {
      for (const side of sides) {
        const r = row(side, size, STEADY, await run(side, planArgs(side, file)));
        steady.set(side.tool, [...(steady.get(side.tool) ?? []), r]);
      }
    }
    for (const side of sides) {
      const r = medianRow(steady.get(side.tool) ?? []);
      rows.push(r);
      log(`  ${side.tool.padEnd(9)} steady plan  ${r.seconds.toFixed(2)} s  ${r.calls.total} calls`);
    }
    /** A steady plan through a proxy that answers every call `latencyMs` late. */
    const slowPlan = async (side: Side, phase: string): Promise<Row> => {
      const proxied = await startFaultProxy({
        target: side.moto.endpoint,
        slowMs: latencyMs,
        rules: [{ operation: /.*/, fault: "slow" }],
      });
      const slow = { ...side, proxy: proxied };
      if (side.tool === "terraform")
        writeFileSync(
          join(side.dir, "main.tf"),
          stagingHcl(workloads[1] as ReturnType<typeof staging>, proxied.endpoint),
        );
      try {
        return row(slow, size, phase, await run(slow, planArgs(slow, file)));
      } finally {
        await proxied.stop();
      }
    };
    const logSlow = (r: Row) =>
      log(
        `  ${r.tool.padEnd(9)} ${r.phase} ${r.seconds.toFixed(2)} s  ${r.calls.total} calls, ${r.sequence?.depth ?? "?"} in sequence`,
      );
    if (size === sizes[sizes.length - 1] && latencyMs > 0) {
      for (const side of sides) {
        const r = await slowPlan(side, `${STEADY}, ${latencyMs}${LATENCY}`);
        rows.push(r);
        logSlow(r);
      }
    }
    if (size === sizes[sizes.length - 1] && !values["no-crowd"]) {
      log(`  crowding parity's account: ${JSON.stringify(CROWD)}`);
      await crowdAccount(parity.moto.endpoint, workloads[0]?.image ?? "");
      const empty = rows.find((r) => r.tool === "parity" && r.size === size && r.phase === STEADY);
      const r = row(parity, size, CROWDED, await run(parity, planArgs(parity, file)));
      rows.push(r);
      crowded = {
        size,
        empty: empty?.calls ?? { total: 0, byAction: {} },
        crowded: r.calls,
        seconds: r.seconds,
      };
      log(`  parity    crowded plan ${r.seconds.toFixed(2)} s  ${r.calls.total} calls`);
      if (latencyMs > 0) {
        const slow = await slowPlan(parity, `${CROWDED}, ${latencyMs}${LATENCY}`);
        rows.push(slow);
        logSlow(slow);
      }
    }
  }
} finally {
  for (const side of sides) {
    await side.proxy.stop();
    await side.moto.stop();
  }
  rmSync(work, { recursive: true, force: true });
}

const text = report(
  {
    sizes,
    rows,
    startup,
    ...(crowded ? { crowded } : {}),
    ...(tf.ok ? {} : { terraformSkipped: tf.reason }),
  },
  `${CROWD.buckets} unrelated buckets, ${CROWD.distributions} distributions, ${CROWD.instances} instances, ${CROWD.parameters} parameters`,
);
console.log("\n" + text);
const results = join(ROOT, "bench/results");
mkdirSync(results, { recursive: true });
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}${tf.ok ? `, Terraform ${tf.version}` : ""}, load average ${loadAtStart.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end`;
const when = new Date().toISOString();
writeFileSync(
  join(results, "latest.md"),
  `Measured ${when} on ${machine}; steady plans are the median of ${repeat} interleaved runs.\n\n${text}`,
);
writeFileSync(
  join(results, "latest.json"),
  JSON.stringify({ date: when, machine, sizes, repeat, latencyMs, rows, startup, crowded }, null, 2) + "\n",
);
console.log("Written to bench/results/latest.json and latest.md.");
