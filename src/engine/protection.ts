import type { Change, Plan } from "../model/index.js";

/** Changes that destroy a protected resource (a delete, or the delete half of a replace). */
export function protectedDestruction(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.protected && (c.action === "delete" || c.action === "replace"));
}

/** Changes that lose data while the resource stays (a bucket sync deleting objects): never unasked. */
export function dataLossInPlace(plan: Plan): Change[] {
  return plan.changes.filter(
    (c) => (c.action === "update" || c.action === "adopt") && c.risks.includes("data-loss"),
  );
}

/** A refusal message when the plan destroys protected resources or data without --allow-destroy, else undefined. */
export function protectionRefusal(plan: Plan, allowDestroy: boolean): string | undefined {
  if (allowDestroy) return undefined;
  const hits = protectedDestruction(plan);
  const losses = dataLossInPlace(plan);
  if (hits.length + losses.length === 0) return undefined;
  const list = [
    ...hits.map((c) => `${c.address} (${c.action === "delete" ? "destroy" : "replace"})`),
    ...losses.map((c) => `${c.address} (deletes data)`),
  ].join(", ");
  const what =
    hits.length === 0
      ? "delete data"
      : hits.length === 1
        ? "touch a protected resource"
        : "touch protected resources";
  return `refusing to ${what}: ${list}. Nothing was changed. Re-run with --allow-destroy if this is intended.`;
}
