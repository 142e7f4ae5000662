import type { Change, Plan } from "../model/index.js";

/** Changes that destroy a protected resource (a delete, or the delete half of a replace). */
export function protectedDestruction(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.protected && (c.action === "delete" || c.action === "replace"));
}

/** A refusal message when the plan destroys protected resources without --allow-destroy, else undefined. */
export function protectionRefusal(plan: Plan, allowDestroy: boolean): string | undefined {
  if (allowDestroy) return undefined;
  const hits = protectedDestruction(plan);
  if (hits.length === 0) return undefined;
  const list = hits.map((c) => `${c.address} (${c.action === "delete" ? "destroy" : "replace"})`).join(", ");
  return `refusing to ${hits.length === 1 ? "touch a protected resource" : "touch protected resources"}: ${list}. Nothing was changed. Re-run with --allow-destroy if this is intended.`;
}
