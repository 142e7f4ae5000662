import type { Change, Plan } from "../model/index.js";
import { formatDiagnostic, isActive } from "../model/index.js";
import { plain } from "./palette.js";
import { body, describeChange, riskHeader, summaryLine } from "./text.js";

export type MarkdownOptions = { file?: string };

/** The first line of every comment, so a CI job can find and update its earlier comment. */
export function commentMarker(plan: Plan): string {
  return `<!-- parity-plan ${plan.environment}/${plan.region} -->`;
}

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inline code that survives any backticks inside it. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function details(change: Change): string {
  const parts: string[] = [];
  if (change.movedFrom !== undefined) parts.push(`moved from ${code(change.movedFrom)}`);
  if (change.reason) parts.push(change.reason);
  if (change.action !== "create" && change.action !== "delete" && change.attributes.length) {
    parts.push(change.attributes.map((a) => code(a.path)).join(", "));
  }
  if (change.action === "create") {
    const n = Object.keys(change.after ?? {}).length;
    parts.push(`${n} attribute${n === 1 ? "" : "s"}`);
  }
  if (change.protected && (change.action === "delete" || change.action === "replace")) {
    parts.push("**protected: needs --allow-destroy**");
  }
  if (change.risks.length) parts.push(`risk: ${change.risks.join(", ")}`);
  if ((change.expectedSeconds ?? 0) >= 60) {
    parts.push(`about ${Math.round((change.expectedSeconds ?? 0) / 60)} min`);
  }
  return cell(parts.join("; "));
}

function action(change: Change): string {
  const destructive = change.action === "delete" || change.action === "replace";
  if (change.action === "no-op" && change.movedFrom !== undefined) return "move";
  return destructive ? `**${change.action}**` : change.action;
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function block(lines: string[]): string[] {
  const longest = Math.max(0, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}diff`, ...lines, fence];
}

function section(change: Change): string[] {
  const lines = [
    ...body(change, plain).map((l) => l.replace(/^ {2}/, "")),
    ...change.notes.map((n) => `! ${n}`),
  ];
  return [
    `<details><summary><code>${html(change.address)}</code> ${html(describeChange(change))}</summary>`,
    "",
    ...block(lines),
    "",
    "</details>",
  ];
}

/**
 * The plan as a pull-request comment: summary, risks first, a table of changes, then one
 * collapsible section per resource. Built only from the (already masked) plan data.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const file = options.file ? ` from ${code(options.file)}` : "";
  const out: string[] = [
    commentMarker(plan),
    `### parity plan: ${code(plan.environment)} (${plan.region})${file}`,
    "",
  ];
  const active = plan.changes.filter(isActive);
  out.push(
    active.length ? `**${summaryLine(plan)}**` : `**No changes.** The live environment matches the file.`,
  );
  out.push("");
  const risks = riskHeader(plan);
  if (risks.length) out.push("> [!WARNING]", ...risks.map((r) => `> - ${r}`), "");
  if (plan.warnings.length) {
    out.push("**Warnings**", "", ...plan.warnings.map((w) => `- ${formatDiagnostic(w)}`), "");
  }
  if (active.length === 0) return out.join("\n");
  out.push("| action | address | details |", "| --- | --- | --- |");
  for (const change of active)
    out.push(`| ${action(change)} | ${code(change.address)} | ${details(change)} |`);
  out.push("");
  for (const change of active) out.push(...section(change), "");
  return out.join("\n");
}
