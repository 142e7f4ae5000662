import { closest } from "fastest-levenshtein";
import type { Change, DesiredNode, Diagnostic, Plan } from "../model/index.js";
import { summarize } from "../model/index.js";
import { groupMembers } from "./graph.js";

export type Targeting = { plan: Plan; warnings: Diagnostic[] };

/** A duplicate's delete is addressed `securityGroups.app (sg-…)`: match on the address part. */
function bare(address: string): string {
  return address.replace(/ \(.*\)$/, "");
}

/**
 * Whether an address falls under a pattern: a kind (`instances`), a resource (`instances.web`,
 * which covers `instances.web[0]` and `loadBalancers.web.listeners[443]`-style sub-nodes) or a node.
 */
export function addressMatches(pattern: string, address: string): boolean {
  const a = bare(address);
  return a === pattern || a.startsWith(pattern + ".") || a.startsWith(pattern + "[");
}

const pending = (c: Change | undefined): boolean => c !== undefined && c.action !== "no-op";

function warning(message: string, hint?: string): Diagnostic {
  return { severity: "warning", message, ...(hint ? { hint } : {}) };
}

/** A pattern that names nothing is almost always a typo; say so rather than plan nothing silently. */
function unmatched(flag: string, patterns: string[], plan: Plan, nodes: DesiredNode[]): Diagnostic[] {
  const known = [
    ...new Set([...nodes.flatMap((n) => [n.address, n.group]), ...plan.changes.map((c) => bare(c.address))]),
  ];
  return patterns
    .filter((p) => !known.some((a) => addressMatches(p, a)))
    .map((p) =>
      warning(
        `${flag} ${p} matches nothing in the file or the account`,
        known.length ? `did you mean ${closest(p, known)}?` : undefined,
      ),
    );
}

type Widening = { target: string; nodes: string[] };

/**
 * Everything the targets depend on, transitively (DesiredNode.dependsOn names groups): the node
 * addresses brought in, and per dependency group the first target that brought it in.
 */
function dependencyClosure(targets: string[], nodes: DesiredNode[]): Map<string, Widening> {
  const members = groupMembers(nodes);
  const byAddress = new Map(nodes.map((n) => [n.address, n]));
  const targeted = (address: string) => targets.some((t) => addressMatches(t, address));
  const widenings = new Map<string, Widening>();
  // One walk per target, in the order given, so each widening is attributed to the first target causing it.
  for (const target of targets) {
    const queue = nodes.filter((n) => addressMatches(target, n.address));
    const seen = new Set(queue.map((n) => n.address));
    for (let node = queue.shift(); node; node = queue.shift()) {
      for (const group of [...node.dependsOn, ...(node.refersTo ?? []).filter((g) => g !== node.group)]) {
        const own = byAddress.get(group);
        const fresh = (members.get(group) ?? (own ? [own] : [])).filter((d) => !seen.has(d.address));
        fresh.forEach((d) => seen.add(d.address));
        queue.push(...fresh);
        const widened = fresh.filter((d) => !targeted(d.address)).map((d) => d.address);
        if (widened.length === 0) continue;
        const known = widenings.get(group);
        if (known) known.nodes.push(...widened);
        else widenings.set(group, { target, nodes: widened });
      }
    }
  }
  return widenings;
}

/** Excluded changes that kept, pending changes depend on: excluded group → dependent groups. */
function dangling(excluded: Change[], kept: Change[], nodes: DesiredNode[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const refersTo = new Map(nodes.map((n) => [n.address, n.refersTo ?? []]));
  const needs = (c: Change, group: string) =>
    c.dependsOn.includes(group) || (c.group !== group && (refersTo.get(c.address) ?? []).includes(group));
  for (const gone of excluded.filter(pending)) {
    for (const stays of kept.filter((c) => pending(c) && needs(c, gone.group))) {
      const list = out.get(gone.group) ?? [];
      if (!list.includes(stays.group)) list.push(stays.group);
      out.set(gone.group, list);
    }
  }
  return out;
}

/**
 * Narrows a plan to `--target`s (plus everything they depend on, transitively) minus `--exclude`s.
 * Pure: the plan's order is kept and its summary recomputed; what was widened or left dangling is
 * returned as warnings (the caller adds them to plan.warnings).
 */
export function targetPlan(
  plan: Plan,
  nodes: DesiredNode[],
  targets: string[],
  excludes: string[],
): Targeting {
  if (targets.length === 0 && excludes.length === 0) return { plan, warnings: [] };
  const warnings: Diagnostic[] = [
    ...unmatched("--target", targets, plan, nodes),
    ...unmatched("--exclude", excludes, plan, nodes),
  ];
  const widenings = dependencyClosure(targets, nodes);
  const brought = new Set([...widenings.values()].flatMap((w) => w.nodes));
  const wanted = (c: Change) =>
    targets.length === 0 || targets.some((t) => addressMatches(t, c.address)) || brought.has(c.address);
  const excluded = (c: Change) => excludes.some((e) => addressMatches(e, c.address));
  const changes = plan.changes.filter((c) => wanted(c) && !excluded(c));
  const kept = new Set(changes.map((c) => c.address));
  const byAddress = new Map(plan.changes.map((c) => [c.address, c]));

  // Say what was widened only where it matters: the dependency has work to do and was not excluded.
  for (const [group, { target, nodes: added }] of widenings) {
    if (added.some((a) => kept.has(a) && pending(byAddress.get(a))))
      warnings.push(warning(`targeting ${target} also includes ${group} (a dependency)`));
  }
  // An excluded change that kept ones need: those may fail at apply, so name them.
  const left = dangling(
    plan.changes.filter((c) => wanted(c) && excluded(c)),
    changes,
    nodes,
  );
  for (const [group, dependents] of left) {
    const stay = dependents.length === 1 ? "stays" : "stay";
    warnings.push(
      warning(
        `excluding ${group}, a dependency of ${dependents.join(", ")}, which ${stay} in the plan`,
        "apply may fail there until it exists as the file says; exclude the dependents too or drop the --exclude",
      ),
    );
  }
  return { plan: { ...plan, changes, summary: summarize(changes) }, warnings };
}
