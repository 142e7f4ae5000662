/**
 * `node --import tsx bench/fault-soak.ts [--seeds 50] [--start 1000] [--rate 0.2]
 *   [--examples khorium,chatmrpt] [--targeted]`
 *
 * The long version of test/integration/faults.test.ts. Each trial applies an example's staging
 * file through the fault proxy, then at most once more without faults, and compares what is live
 * with a run that had no faults: it must converge (a plan shows no changes) with no duplicate.
 *
 * `--targeted` adds one trial per mutating call of a fault-free apply, in which exactly that call
 * (its first occurrence) is carried out by moto and its answer lost: the fault most likely to
 * duplicate something.
 *
 * Results: a summary on stdout, every trial in bench/results/fault-soak.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startMoto } from "../src/emulator/moto.js";
import { FAULT_KINDS } from "../test/support/faultProxy.js";
import type { Call, FaultKind } from "../test/support/faultProxy.js";
import { baselineWithCalls, describeTrial, runTrial } from "../test/support/faultTrial.js";
import type { Example, TrialResult } from "../test/support/faultTrial.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// The emulator ignores credentials, but the SDK wants some: never let a real profile be read.
process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SECRET_ACCESS_KEY = "testing";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "50" },
    start: { type: "string", default: "1000" },
    rate: { type: "string", default: "0.2" },
    examples: { type: "string", default: "khorium,chatmrpt" },
    targeted: { type: "boolean", default: false },
  },
});
const seeds = Number(values.seeds);
const start = Number(values.start);
const rate = Number(values.rate);
const examples = String(values.examples).split(",") as Example[];
if (!Number.isInteger(seeds) || seeds < 0 || !Number.isInteger(start) || !(rate >= 0 && rate <= 1)) {
  console.error("--seeds and --start take whole numbers, --rate a share from 0 to 1");
  process.exit(1);
}
if (examples.some((e) => e !== "khorium" && e !== "chatmrpt")) {
  console.error("--examples takes khorium, chatmrpt or both");
  process.exit(1);
}

/** Calls that change something: the ones whose lost answer can leave a duplicate behind. */
function mutating(call: Call): boolean {
  return (
    /^(Create|Run|Put|Change|Authorize|Revoke|Register|Deregister|Modify|Add|Remove|Request|Restore|Copy|Delete|Terminate|Set|Tag|Untag|Update|Start|Stop)/.test(
      call.operation,
    ) || /^(PUT|POST|DELETE) /.test(call.operation)
  );
}

type Row = { kind: "random" | "targeted"; label: string; result: TrialResult; ms: number };

const rows: Row[] = [];
const moto = await startMoto();
try {
  for (const example of examples) {
    const { inventory, calls } = await baselineWithCalls(moto, example);
    for (let seed = start; seed < start + seeds; seed++) {
      const began = Date.now();
      const result = await runTrial(moto, example, seed, inventory, { rate });
      rows.push({ kind: "random", label: `seed ${seed}`, result, ms: Date.now() - began });
      console.log(`[${((Date.now() - began) / 1000).toFixed(1)} s] ${describeTrial(result)}`);
    }
    if (values.targeted) {
      const targets = [
        ...new Map(calls.filter(mutating).map((c) => [`${c.service} ${c.operation}`, c])).values(),
      ];
      for (const target of targets) {
        const began = Date.now();
        const result = await runTrial(moto, example, 0, inventory, {
          rate: 0,
          rules: [{ service: target.service, operation: target.operation, fault: "dropAfter", times: 1 }],
        });
        const label = `lost answer to ${target.service} ${target.operation}`;
        rows.push({ kind: "targeted", label, result, ms: Date.now() - began });
        console.log(`[${((Date.now() - began) / 1000).toFixed(1)} s] ${label}: ${describeTrial(result)}`);
      }
    }
  }
} finally {
  await moto.stop();
}

/** The figures the closing note reports, per example and kind of trial. */
function summary(of: Row[]) {
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  for (const r of of) for (const k of FAULT_KINDS) faults[k] += r.result.faults[k];
  const failing = of.filter(
    (r) =>
      r.result.left.length ||
      r.result.duplicates.length ||
      r.result.missing.length ||
      r.result.rerun?.failed.length ||
      r.result.rerun?.planError,
  );
  return {
    trials: of.length,
    calls: of.reduce((n, r) => n + r.result.calls, 0),
    faults,
    faultsTotal: Object.values(faults).reduce((a, b) => a + b, 0),
    convergedWithoutRerun: of.filter((r) => !r.result.rerun).length,
    rerunsNeeded: of.filter((r) => r.result.rerun).length,
    notConverged: of.filter((r) => r.result.left.length).length,
    trialsWithDuplicates: of.filter((r) => r.result.duplicates.length).length,
    duplicates: of.reduce((n, r) => n + r.result.duplicates.reduce((m, d) => m + d.trial - d.baseline, 0), 0),
    missing: of.filter((r) => r.result.missing.length).length,
    safetySnapshots: of.reduce((n, r) => n + r.result.safetySnapshots, 0),
    duplicatesLeftByFaultyApply: of.filter((r) => r.result.leftByFaultyApply.length).length,
    rerunFailures: of.filter((r) => r.result.rerun?.failed.length || r.result.rerun?.planError).length,
    failing: failing.map((r) => `${r.result.example} ${r.label}: ${describeTrial(r.result)}`),
    seconds: Math.round(of.reduce((n, r) => n + r.ms, 0) / 1000),
  };
}

const report: { [group: string]: ReturnType<typeof summary> } = {};
for (const example of examples) {
  for (const kind of ["random", "targeted"] as const) {
    const of = rows.filter((r) => r.result.example === example && r.kind === kind);
    if (of.length) report[`${example} ${kind}`] = summary(of);
  }
}
console.log(JSON.stringify(report, null, 2));
const dir = join(fileURLToPath(new URL(".", import.meta.url)), "results");
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, "fault-soak.json"),
  JSON.stringify(
    {
      options: { seeds, start, rate, examples, targeted: values.targeted },
      report,
      trials: rows.map((r) => ({ ...r, result: { ...r.result, injected: r.result.injected.length } })),
    },
    null,
    2,
  ),
);
const bad = Object.values(report).some((s) => s.failing.length > 0);
process.exit(bad ? 1 : 0);
