/**
 * The bench's report, from its rows alone: the table, the calls behind it, and the verdict on each
 * target of the issue it measures. Nothing here is a figure of its own.
 */
import type { Sequence } from "./callShape.js";

/** Levels of a chain of round trips printed in full; a longer one is cut in the middle. */
const CHAIN_SHOWN = 12;

export type Tool = "parity" | "terraform";
export type Calls = { total: number; byAction: Record<string, number> };
export type Row = {
  tool: Tool;
  size: number;
  phase: string;
  seconds: number;
  /** User + system CPU time of the process: its own work, apart from waiting for the emulator. */
  cpuSeconds?: number;
  calls: Calls;
  /** Round trips in sequence, measured where every call takes the proxy's latency. */
  sequence?: Sequence;
  /** An apply's calls that only read, and those that change something. */
  split?: { reads: number; changes: number };
  peakMb?: number;
  changes?: number;
};
export type Startup = { what: string; seconds: number };
export type Crowded = { size: number; empty: Calls; crowded: Calls; seconds: number };
export type Measurements = {
  sizes: number[];
  rows: Row[];
  startup: Startup[];
  crowded?: Crowded;
  /** Why Terraform was not run, if it was not. */
  terraformSkipped?: string;
};

export const STEADY = "steady plan";
export const CROWDED = "steady plan, crowded account";
/** How the phases run through the proxy that answers every call late are named. */
export const LATENCY = " ms/call";

/** The issue's targets. */
const TARGET = {
  size: 200,
  fromSize: 10,
  timesFaster: 20,
  startupSeconds: 0.2,
  growth: 0.2,
  calls: 20,
  inSequence: 3,
  readsPerResource: 2,
};

type Verdict = { target: string; figure: string; verdict: "met" | "not met" | "not measured" };

const seconds = (s: number) => `${s.toFixed(2)} s`;
const percent = (ratio: number) => `${ratio >= 0 ? "+" : ""}${Math.round(ratio * 100)} %`;

function finder(rows: Row[]) {
  return (tool: Tool, size: number, phase: string) =>
    rows.find((r) => r.tool === tool && r.size === size && r.phase === phase);
}

/** A size the issue names if it was run, else the nearest run (named in the verdict). */
function sizeRun(sizes: number[], wanted: number, fallback: "largest" | "smallest"): number | undefined {
  if (sizes.includes(wanted)) return wanted;
  const sorted = [...sizes].sort((a, b) => a - b);
  return fallback === "largest" ? sorted[sorted.length - 1] : sorted[0];
}

/** Reads per resource of an apply: its reads over the resources its cold plan would create. */
export function readsPerResource(rows: Row[], tool: Tool, size: number): number | undefined {
  const find = finder(rows);
  const apply = find(tool, size, "apply");
  const resources = find(tool, size, "cold plan")?.changes;
  return apply?.split && resources ? apply.split.reads / resources : undefined;
}

export function verdicts(m: Measurements): Verdict[] {
  const find = finder(m.rows);
  const out: Verdict[] = [];
  const judge = (target: string, figure: string, met: boolean) =>
    out.push({ target, figure, verdict: met ? "met" : "not met" });
  const unmeasured = (target: string, why: string) =>
    out.push({ target, figure: why, verdict: "not measured" });
  const large = sizeRun(m.sizes, TARGET.size, "largest");
  const small = sizeRun(
    m.sizes.filter((n) => n !== large),
    TARGET.fromSize,
    "smallest",
  );
  const at = (n: number | undefined, wanted: number) => `N = ${n ?? wanted}`;

  const fast = `steady plan at ${at(large, TARGET.size)} at least ${TARGET.timesFaster}× faster than Terraform`;
  const p = large === undefined ? undefined : find("parity", large, STEADY);
  const t = large === undefined ? undefined : find("terraform", large, STEADY);
  if (!p || !t)
    unmeasured(fast, m.terraformSkipped ? `Terraform not run (${m.terraformSkipped})` : "no rows");
  else
    judge(
      fast,
      `${(t.seconds / p.seconds).toFixed(1)}× (${seconds(p.seconds)} against ${seconds(t.seconds)})`,
      t.seconds >= TARGET.timesFaster * p.seconds,
    );

  const node = m.startup.find((s) => s.what === "node -e 0");
  for (const what of ["parity --help", "parity validate"]) {
    const target = `\`${what}\` within ${TARGET.startupSeconds} s of \`node -e 0\``;
    const s = m.startup.find((x) => x.what === what);
    if (!s || !node) unmeasured(target, "start-up not measured");
    else
      judge(
        target,
        `${s.seconds.toFixed(3)} s against ${node.seconds.toFixed(3)} s (+${(s.seconds - node.seconds).toFixed(3)} s)`,
        s.seconds - node.seconds <= TARGET.startupSeconds,
      );
  }

  const from = small === undefined ? undefined : find("parity", small, STEADY);
  const to = large === undefined ? undefined : find("parity", large, STEADY);
  for (const [what, value] of [
    ["time", (r: Row) => r.seconds],
    ["calls", (r: Row) => r.calls.total],
  ] as const) {
    const target = `steady plan grows less than ${TARGET.growth * 100} % from ${at(small, TARGET.fromSize)} to ${at(large, TARGET.size)} (${what})`;
    if (!from || !to) unmeasured(target, "needs two sizes");
    else {
      const growth = value(to) / value(from) - 1;
      const shown = what === "time" ? seconds : String;
      judge(
        target,
        `${shown(value(from))} → ${shown(value(to))} (${percent(growth)})`,
        growth < TARGET.growth,
      );
    }
  }

  const steady = m.sizes.map((n) => find("parity", n, STEADY)).filter((r): r is Row => r !== undefined);
  const callsTarget = `at most ${TARGET.calls} calls for a steady plan at every N`;
  if (!steady.length) unmeasured(callsTarget, "no steady plan");
  else
    judge(
      callsTarget,
      steady.map((r) => `${r.calls.total} at N = ${r.size}`).join(", "),
      steady.every((r) => r.calls.total <= TARGET.calls),
    );

  const crowdTarget = "a crowded account plans with the calls of an empty one";
  if (!m.crowded) unmeasured(crowdTarget, "crowded account not run");
  else
    judge(
      crowdTarget,
      `${m.crowded.crowded.total} calls against ${m.crowded.empty.total} at N = ${m.crowded.size}`,
      m.crowded.crowded.total === m.crowded.empty.total,
    );

  const sequenceTarget = `at most ${TARGET.inSequence} round trips in sequence`;
  const slow = m.rows.filter((r) => r.tool === "parity" && r.sequence);
  if (!slow.length) unmeasured(sequenceTarget, "no run with latency");
  else {
    const terraform = m.rows.find((r) => r.tool === "terraform" && r.sequence && r.phase.startsWith(STEADY));
    const figure =
      slow.map((r) => `${r.sequence?.depth} (${r.phase}, N = ${r.size})`).join(", ") +
      (terraform ? `; Terraform ${terraform.sequence?.depth}` : "");
    judge(
      sequenceTarget,
      figure,
      slow.every((r) => (r.sequence?.depth ?? Infinity) <= TARGET.inSequence),
    );
  }

  const readsTarget = `apply at ${at(large, TARGET.size)}: at most ${TARGET.readsPerResource} reads per resource created`;
  const reads = large === undefined ? undefined : readsPerResource(m.rows, "parity", large);
  if (reads === undefined) unmeasured(readsTarget, "no apply");
  else {
    const terraform = large === undefined ? undefined : readsPerResource(m.rows, "terraform", large);
    judge(
      readsTarget,
      `${reads.toFixed(2)}${terraform !== undefined ? ` (Terraform ${terraform.toFixed(2)})` : ""}`,
      reads <= TARGET.readsPerResource,
    );
  }
  return out;
}

function table(m: Measurements): string[] {
  const find = finder(m.rows);
  const phases = [...new Set(m.rows.map((r) => r.phase))];
  const depth = (r: Row) => (r.sequence ? String(r.sequence.depth) : "–");
  const parity = (r: Row | undefined) =>
    r
      ? [
          `${seconds(r.seconds)}${r.changes ? ` (${r.changes} changes)` : ""}`,
          r.cpuSeconds !== undefined ? seconds(r.cpuSeconds) : "–",
          String(r.calls.total),
          depth(r),
          r.peakMb !== undefined ? `${Math.round(r.peakMb)} MB` : "–",
        ]
      : ["–", "–", "–", "–", "–"];
  const terraform = (r: Row | undefined) => {
    const [time = "–", , calls = "–", inSequence = "–", peak = "–"] = parity(r);
    return [time, calls, inSequence, peak];
  };
  const lines = [
    "| N | phase | parity time | parity CPU | parity calls | parity in sequence | parity peak | terraform time | terraform calls | terraform in sequence | terraform peak | time ratio |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const size of m.sizes)
    for (const phase of phases) {
      const p = find("parity", size, phase);
      const t = find("terraform", size, phase);
      if (!p && !t) continue;
      const ratio = p && t ? `${(t.seconds / p.seconds).toFixed(1)}×` : "–";
      lines.push(`| ${size} | ${phase} | ${[...parity(p), ...terraform(t), ratio].join(" | ")} |`);
    }
  return lines;
}

export function report(m: Measurements, crowd: string): string {
  const find = finder(m.rows);
  const lines = table(m);
  lines.push("", "Start-up (median):", "");
  for (const s of m.startup) lines.push(`- \`${s.what}\`: ${s.seconds.toFixed(3)} s`);
  const largest = m.sizes[m.sizes.length - 1] ?? 0;
  lines.push("", `No-change plan calls by action at N = ${largest}:`, "");
  for (const tool of ["parity", "terraform"] as Tool[]) {
    const r = find(tool, largest, STEADY);
    if (!r) continue;
    const parts = Object.entries(r.calls.byAction)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([name, n]) => `${name} ×${n}`);
    lines.push(`- ${tool}: ${parts.join(", ")}`);
  }
  // A chain hundreds of calls deep reads best as its start and its end.
  const shortChain = (chain: string[]) =>
    chain.length <= CHAIN_SHOWN
      ? chain.join(" → ")
      : [
          ...chain.slice(0, CHAIN_SHOWN - 3),
          `… ${chain.length - CHAIN_SHOWN} more …`,
          ...chain.slice(-3),
        ].join(" → ");
  const sequenced = m.rows.filter((r) => r.sequence);
  if (sequenced.length) {
    lines.push(
      "",
      "The deepest chain of round trips, one call per level (each sent after the one before was answered):",
      "",
    );
    for (const r of sequenced)
      lines.push(
        `- ${r.tool}, ${r.phase}, N = ${r.size}: ${r.sequence?.depth} — ${shortChain(r.sequence?.chain ?? [])}`,
      );
  }
  const applies = m.rows.filter((r) => r.phase === "apply" && r.split);
  if (applies.length) {
    lines.push("", "Apply: changes and reads, and reads per resource its cold plan counted:", "");
    for (const r of applies) {
      const per = readsPerResource(m.rows, r.tool, r.size);
      const resources = find(r.tool, r.size, "cold plan")?.changes;
      lines.push(
        `- N = ${r.size}, ${r.tool}: ${r.calls.total} calls, ${r.split?.changes} changes and ${r.split?.reads} reads; ` +
          `${per !== undefined ? per.toFixed(2) : "–"} reads per resource (${resources ?? "?"} resources)`,
      );
    }
  }
  if (m.crowded) {
    const c = m.crowded;
    const grown = Object.entries(c.crowded.byAction)
      .filter(([name, n]) => n !== (c.empty.byAction[name] ?? 0))
      .map(([name, n]) => `${name} ${c.empty.byAction[name] ?? 0} → ${n}`);
    lines.push(
      "",
      `Crowded account (${crowd}) at N = ${c.size}: ${c.crowded.total} calls against ${c.empty.total} (${seconds(c.seconds)})` +
        (grown.length ? `; grown: ${grown.join(", ")}.` : "; no read grew."),
    );
  }
  lines.push("", "Targets:", "");
  for (const v of verdicts(m)) lines.push(`- ${v.target}: ${v.figure} — **${v.verdict}**`);
  if (m.terraformSkipped) lines.push("", `Terraform column skipped: ${m.terraformSkipped}.`);
  return lines.join("\n") + "\n";
}
