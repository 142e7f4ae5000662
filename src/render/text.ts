import type { Change, Plan, Value } from "../model/index.js";
import { RISKS, formatDiagnostic, isActive } from "../model/index.js";
import type { Palette } from "./palette.js";
import { plain } from "./palette.js";
import { flatten, formatValue } from "./values.js";

export const HEADLINE: Record<Change["action"], string> = {
  create: "will be created",
  update: "will be updated in-place",
  replace: "must be replaced",
  delete: "will be destroyed",
  adopt: "will be adopted",
  "no-op": "has no changes",
};

/**
 * What the headline says of a change: its action, and a move as Terraform says it — alone
 * (`has moved from instances.web`) or beside what else changes (`(moved from instances.web)`).
 */
export function describeChange(change: Change): string {
  if (change.movedFrom === undefined) return HEADLINE[change.action];
  if (change.action === "no-op") return `has moved from ${change.movedFrom}`;
  return `${HEADLINE[change.action]} (moved from ${change.movedFrom})`;
}

function colourFor(action: Change["action"], p: Palette): (text: string) => string {
  if (action === "create" || action === "adopt") return p.add;
  if (action === "update") return p.change;
  if (action === "replace") return p.replace;
  if (action === "delete") return p.remove;
  return p.dim;
}

export type TextOptions = { palette?: Palette; allowDestroy?: boolean; file?: string };

function headline(change: Change, options: TextOptions): string {
  const p = options.palette ?? plain;
  const reason = change.reason ? ` (${change.reason})` : "";
  const guard =
    change.protected && (change.action === "delete" || change.action === "replace")
      ? options.allowDestroy
        ? "  [protected: allowed by --allow-destroy]"
        : "  [protected: needs --allow-destroy]"
      : "";
  const risks = change.risks.length ? `  [${change.risks.join(", ")}]` : "";
  // Destroying what a person made by hand is as grave as a delete: it reads in the delete colour.
  const paintRisks = change.risks.includes("unmanaged") ? p.remove : p.note;
  return (
    colourFor(change.action, p)(`  # ${change.address} ${describeChange(change)}${reason}`) +
    p.bold(guard) +
    paintRisks(risks)
  );
}

/** The lines under a change's headline; shared with the markdown renderer. */
export function body(change: Change, palette: Palette): string[] {
  const paint = colourFor(change.action, palette);
  if (change.action === "create") {
    return flatten(change.after ?? {})
      .filter(([, value]) => value !== null)
      .map(([path, value]) => paint(`  + ${path} = ${formatValue(value)}`));
  }
  if (change.action === "delete") {
    return [paint(`  - ${change.kind} ${change.id ?? ""}`.trimEnd())];
  }
  return change.attributes.flatMap((a) => {
    const forces = a.forcesReplacement ? palette.replace("  # forces replacement") : "";
    const deferred = a.deferred ? palette.note("  # applied in the next maintenance window") : "";
    if (Array.isArray(a.before) && Array.isArray(a.after) && !a.sensitive) {
      return [paint(`  ~ ${a.path}:`) + forces + deferred, ...listDifference(a.before, a.after, palette)];
    }
    const line =
      a.before === undefined
        ? `  + ${a.path} = ${formatValue(a.after)}`
        : a.after === undefined
          ? `  - ${a.path} = ${formatValue(a.before)}`
          : `  ~ ${a.path}: ${formatValue(a.before)} → ${formatValue(a.after)}`;
    return paint(line) + forces + deferred;
  });
}

/** A list change as the items removed and added, which reads far better than two whole lists. */
function listDifference(before: Value[], after: Value[], palette: Palette): string[] {
  const key = (v: Value) => JSON.stringify(v);
  const kept = new Set(after.map(key));
  const had = new Set(before.map(key));
  return [
    ...before.filter((v) => !kept.has(key(v))).map((v) => palette.remove(`      - ${formatValue(v)}`)),
    ...after.filter((v) => !had.has(key(v))).map((v) => palette.add(`      + ${formatValue(v)}`)),
  ];
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const moved = s.move ? `, ${s.move} to move` : "";
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy, ${s.replace} to replace, ${s.adopt} to adopt${moved}.`;
}

/** A one-paragraph header naming the risks and the expected duration, so reviewers see them first. */
export function riskHeader(plan: Plan): string[] {
  const lines: string[] = [];
  const risky = plan.changes.filter((c) => c.risks.length > 0);
  for (const risk of RISKS) {
    const hit = risky.filter((c) => c.risks.includes(risk)).map((c) => c.address);
    if (hit.length) lines.push(`Risk ${risk}: ${hit.join(", ")}`);
  }
  const slowest = plan.changes.reduce((max, c) => Math.max(max, c.expectedSeconds ?? 0), 0);
  if (slowest >= 120) {
    const slow = plan.changes.filter((c) => (c.expectedSeconds ?? 0) === slowest)[0];
    lines.push(
      `This apply ${slow?.action === "replace" ? "replaces" : "changes"} ${slow?.address} and will take about ${Math.round(slowest / 60)} minutes.`,
    );
  }
  return lines;
}

/** The human plan, built only from the plan data, so it can never disagree with --json. */
export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const p = options.palette ?? plain;
  const out: string[] = [];
  for (const warning of plan.warnings) out.push(p.note(formatDiagnostic(warning)));
  if (plan.warnings.length) out.push("");
  const active = plan.changes.filter(isActive);
  if (active.length === 0) {
    out.push(
      p.bold(`No changes. ${plan.environment} (${plan.region}) matches ${options.file ?? "the file"}.`),
    );
    return out.join("\n") + "\n";
  }
  const risks = riskHeader(plan);
  if (risks.length) out.push(...risks.map((r) => p.bold(r)), "");
  for (const change of active) {
    out.push(headline(change, options));
    out.push(...body(change, p));
    for (const note of change.notes) out.push(p.note(`  ! ${note}`));
    out.push("");
  }
  out.push(p.bold(summaryLine(plan)));
  return out.join("\n") + "\n";
}
