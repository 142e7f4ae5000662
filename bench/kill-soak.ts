/**
 * `npm run bench:kill [-- --trials 20] [--seed N] [--examples chatmrpt,khorium] [--kill-after 29,30]`:
 * the kill -9 soak (`--kill-after` replays chosen calls instead of drawing them).
 * Each trial seeds an example's before-state on a reset moto, runs `parity apply`, SIGKILLs it once
 * a call drawn from the seeded generator has started, re-runs plain `parity apply` (never
 * `unlock --force`) and compares the account with a converged reference: duplicates, missing
 * resources, backups beyond the reference's, locks left. Results: a summary on stdout,
 * bench/results/kill-soak.{json,md}; exit 1 if any trial did not converge cleanly.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startMoto } from "../src/emulator/moto.js";
import type { Calibration, Example, Phase, TrialResult } from "../test/support/killTrial.js";
import { calibrate, describeTrial, EXAMPLES, killTrial, phaseOf } from "../test/support/killTrial.js";
import { between, seededRandom, trialSeed } from "../test/support/random.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SECRET_ACCESS_KEY = "testing";
delete process.env.AWS_PROFILE;

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "20" },
    seed: { type: "string" },
    examples: { type: "string", default: EXAMPLES.join(",") },
    "kill-after": { type: "string" },
  },
});
const chosen = values["kill-after"]?.split(",").map((n) => Number(n.trim()));
if (chosen?.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error("--kill-after takes a comma-separated list of call numbers from 1, e.g. --kill-after 29,30");
  process.exit(1);
}
const trials = chosen ? chosen.length : Number(values.trials);
if (!Number.isInteger(trials) || trials < 1 || trials > 1000) {
  console.error("--trials must be a whole number from 1 to 1000");
  process.exit(1);
}
const examples = String(values.examples)
  .split(",")
  .map((e) => e.trim());
const unknown = examples.filter((e) => !(EXAMPLES as readonly string[]).includes(e));
if (unknown.length || examples.length === 0) {
  console.error(
    `--examples takes a comma-separated list of ${EXAMPLES.join(", ")}; unknown: ${unknown.join(", ")}`,
  );
  process.exit(1);
}
const seed = values.seed ? Number(values.seed) : trialSeed();
if (!Number.isInteger(seed) || seed < 1) {
  console.error("--seed must be a positive whole number");
  process.exit(1);
}
const random = seededRandom(seed);
console.log(
  `kill -9 soak: ${trials} trials of ${examples.join(", ")}, seed ${seed} (replay with --seed ${seed})`,
);

type Row = TrialResult & { trial: number; phase: Phase };

const started = performance.now();
const emulator = await startMoto();
const rows: Row[] = [];
try {
  const calibrations = new Map<Example, Calibration>();
  for (const example of examples as Example[]) {
    const calibration = await calibrate(emulator, example);
    calibrations.set(example, calibration);
    console.log(`${example}: a complete apply makes ${calibration.calls} AWS calls:`);
    console.log(calibration.sequence.map((call, i) => `${i + 1} ${call}`).join(", "));
  }
  for (let trial = 1; trial <= trials; trial++) {
    const example = examples[(trial - 1) % examples.length] as Example;
    const calibration = calibrations.get(example) as Calibration;
    const killAfterCall = chosen?.[trial - 1] ?? between(random, 1, calibration.calls);
    const result = await killTrial(emulator, calibration, killAfterCall);
    const row = { ...result, trial, phase: phaseOf(calibration, killAfterCall) };
    rows.push(row);
    console.log(`${trial}/${trials} [${row.phase}] ${describeTrial(result)}`);
    const clean =
      result.converged && result.reruns === 1 && !result.duplicates.length && !result.missing.length;
    if (!clean) console.log(result.log);
  }
} finally {
  await emulator.stop();
}
const minutes = (performance.now() - started) / 60_000;

const count = (keep: (r: Row) => boolean) => rows.filter(keep).length;
const tally = (pick: (r: Row) => string) => {
  const out = new Map<string, number>();
  for (const r of rows) out.set(pick(r), (out.get(pick(r)) ?? 0) + 1);
  return [...out].map(([k, n]) => `${k} ×${n}`).join(", ");
};
const all = (pick: (r: Row) => string[]) =>
  rows.flatMap((r) => pick(r).map((line) => `${r.example}: ${line}`));
const summary = {
  seed,
  trials: rows.length,
  minutes: Number(minutes.toFixed(1)),
  machine: `${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)}`,
  killed: count((r) => r.killed),
  killPhases: tally((r) => r.phase),
  killedDuring: tally((r) => r.killedDuring || "(none)"),
  locksLeftByKill: count((r) => r.lockLeft),
  takenOver: count((r) => r.tookOver),
  reruns: tally((r) => (r.reruns > 3 ? "never converged" : `${r.reruns}`)),
  converged: count((r) => r.converged),
  duplicates: all((r) => r.duplicates),
  unexpected: all((r) => r.unexpected),
  missing: all((r) => r.missing),
  extraBackups: all((r) => r.extraBackups),
  locksAfter: all((r) => r.locksAfter),
};

const lines = [
  `# kill -9 soak`,
  ``,
  `${summary.trials} trials (${examples.join(", ")}), seed ${seed}, ${summary.minutes} min on ${summary.machine}.`,
  ``,
  `- killed mid-run: ${summary.killed} of ${summary.trials}; by phase: ${summary.killPhases}`,
  `- locks left by the kill: ${summary.locksLeftByKill}, taken over by the first re-run: ${summary.takenOver}`,
  `- re-runs needed: ${summary.reruns}; converged: ${summary.converged} of ${summary.trials}`,
  `- duplicates: ${summary.duplicates.length}${summary.duplicates.length ? ` (${summary.duplicates.join("; ")})` : ""}`,
  `- unexpected resources: ${summary.unexpected.length}${summary.unexpected.length ? ` (${summary.unexpected.join("; ")})` : ""}`,
  `- missing resources: ${summary.missing.length}${summary.missing.length ? ` (${summary.missing.join("; ")})` : ""}`,
  `- backups beyond the reference: ${summary.extraBackups.length}${summary.extraBackups.length ? ` (${summary.extraBackups.join("; ")})` : ""}`,
  `- locks left after the re-runs: ${summary.locksAfter.length}`,
  `- last call started before each kill: ${summary.killedDuring}`,
  ``,
  `| trial | example | kill after call | phase | during | lock left | taken over | re-runs | converged | duplicates | missing |`,
  `| ----: | ------- | --------------: | ----- | ------ | --------- | ---------- | ------: | --------- | ---------: | ------: |`,
  ...rows.map(
    (r) =>
      `| ${r.trial} | ${r.example} | ${r.killAfterCall} | ${r.phase} | ${r.killedDuring} | ${r.lockLeft ? "yes" : "no"} | ${r.tookOver ? "yes" : "no"} | ${r.reruns} | ${r.converged ? "yes" : "no"} | ${r.duplicates.length} | ${r.missing.length} |`,
  ),
];
console.log("\n" + lines.slice(0, 14).join("\n"));

const out = join(fileURLToPath(new URL(".", import.meta.url)), "results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "kill-soak.json"),
  JSON.stringify({ summary, rows: rows.map(({ log: _log, ...r }) => r) }, null, 2) + "\n",
);
writeFileSync(join(out, "kill-soak.md"), lines.join("\n") + "\n");
console.log(`\nwrote bench/results/kill-soak.{json,md}`);

const failed = rows.filter(
  (r) => !r.converged || r.reruns !== 1 || r.duplicates.length || r.missing.length || r.locksAfter.length,
);
process.exitCode = failed.length ? 1 : 0;
