import type { Diagnostic } from "./diagnostics.js";
import type { Attrs, Value } from "./values.js";

export const ACTIONS = ["create", "update", "replace", "delete", "adopt", "no-op"] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What a reviewer must weigh before approving. `traffic-shift`: live requests go somewhere else (a
 * DNS record that serves traffic points elsewhere). `unmanaged`: the change replaces a resource
 * parity did not create, which the file allowed with `replaceUnmanaged: true`.
 */
export const RISKS = ["data-loss", "downtime", "public-exposure", "traffic-shift", "unmanaged"] as const;
export type Risk = (typeof RISKS)[number];

export type AttributeChange = {
  path: string;
  before: Value | undefined;
  after: Value | undefined;
  forcesReplacement: boolean;
  sensitive: boolean;
  /** Applied by AWS only in the next maintenance window. */
  deferred?: boolean;
};

export type Change = {
  address: string;
  kind: string;
  group: string;
  action: Action;
  /** Why this action was chosen; for display only, apply never reads it. */
  reason?: string;
  id?: string;
  before: Attrs | null;
  after: Attrs | null;
  attributes: AttributeChange[];
  /** What it needs first; for a delete, what the live resource recorded it was made after. */
  dependsOn: string[];
  /** A delete whose `dependsOn` is the resource's own record, so the kinds' order is not needed. */
  dependsOnRecorded?: boolean;
  /**
   * A `moved` entry renamed it: the live resource recorded this address, and apply re-tags it at
   * `address` (with `no-op`, that re-tag is all apply does). Counted as `move` in the summary.
   */
  movedFrom?: string;
  protected: boolean;
  risks: Risk[];
  /** Extra lines apply will carry out as part of the change ("snapshot vol-… first"). */
  notes: string[];
  expectedSeconds?: number;
};

export type PlanSummary = {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  adopt: number;
  /** Resources a `moved` entry re-addresses; present only when there are some. */
  move?: number;
};

export type Plan = {
  formatVersion: 1;
  environment: string;
  region: string;
  changes: Change[];
  summary: PlanSummary;
  /** Findings that do not stop the plan (wiring warnings, targets widened). */
  warnings: Diagnostic[];
};

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some(isActive);
}

/** A change apply carries out: any action but `no-op`, or a `no-op` that a `moved` entry re-tags. */
export function isActive(change: Change): boolean {
  return change.action !== "no-op" || change.movedFrom !== undefined;
}

/** The action apply reports for a change: a `no-op` a `moved` entry re-tags reads as `move`. */
export function reportedAction(change: Change): string {
  return change.action === "no-op" && change.movedFrom !== undefined ? "move" : change.action;
}

export function summarize(changes: Change[]): PlanSummary {
  const count = (action: Change["action"]) => changes.filter((c) => c.action === action).length;
  const moved = changes.filter((c) => c.movedFrom !== undefined).length;
  return {
    add: count("create"),
    change: count("update"),
    destroy: count("delete"),
    replace: count("replace"),
    adopt: count("adopt"),
    ...(moved > 0 ? { move: moved } : {}),
  };
}
