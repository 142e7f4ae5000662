import type {
  TargetGroup,
  TargetGroupAttribute,
  TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Attrs, Value } from "../../../model/index.js";
import { sortIds } from "../common/lists.js";

export type HealthCheckSpec = {
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  matcher?: string | number;
};

export type StickinessSpec = false | { type: "lb_cookie"; durationSeconds?: number };

/** AWS stores the matcher without spaces: "200, 302" and "200,302" are the same matcher. */
export function normaliseMatcher(matcher: string | number): string {
  return String(matcher).replace(/\s+/g, "");
}

/** Only the health-check fields the file sets, so AWS's defaults (thresholds…) are never compared. */
export function desiredHealthCheck(spec: HealthCheckSpec): Attrs {
  const out: Attrs = {};
  if (spec.path !== undefined) out.path = spec.path;
  if (spec.intervalSeconds !== undefined) out.intervalSeconds = spec.intervalSeconds;
  if (spec.timeoutSeconds !== undefined) out.timeoutSeconds = spec.timeoutSeconds;
  if (spec.healthyThreshold !== undefined) out.healthyThreshold = spec.healthyThreshold;
  if (spec.unhealthyThreshold !== undefined) out.unhealthyThreshold = spec.unhealthyThreshold;
  if (spec.matcher !== undefined) out.matcher = normaliseMatcher(spec.matcher);
  return out;
}

/** `stickiness: false` only asks for it to be off; type and duration then are AWS's business. */
export function desiredStickiness(spec: StickinessSpec): Attrs {
  if (spec === false) return { enabled: false };
  return {
    enabled: true,
    type: spec.type,
    ...(spec.durationSeconds !== undefined ? { durationSeconds: spec.durationSeconds } : {}),
  };
}

/** The target-group attributes (key/value strings) that realise the desired state. */
export function attributeUpdates(desired: Attrs): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  const stickiness = desired.stickiness as Attrs | undefined;
  if (stickiness) {
    out.push({ Key: "stickiness.enabled", Value: String(stickiness.enabled) });
    if (stickiness.type !== undefined) out.push({ Key: "stickiness.type", Value: String(stickiness.type) });
    if (stickiness.durationSeconds !== undefined) {
      out.push({ Key: "stickiness.lb_cookie.duration_seconds", Value: String(stickiness.durationSeconds) });
    }
  }
  if (desired.deregistrationDelaySeconds !== undefined) {
    out.push({
      Key: "deregistration_delay.timeout_seconds",
      Value: String(desired.deregistrationDelaySeconds),
    });
  }
  return out;
}

function numberOr(value: string | undefined, fallback: Value): Value {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/**
 * Registered instance ids as a sorted set. Targets being drained after a deregistration are
 * already gone as far as the file is concerned: counting them would show a diff until they drain.
 */
export function registeredTargets(health: TargetHealthDescription[]): string[] {
  const ids = health
    .filter((h) => h.TargetHealth?.State !== "draining")
    .map((h) => h.Target?.Id)
    .filter((id): id is string => !!id);
  return sortIds(ids);
}

/** A target group as comparable attributes, in the same shape `desired` produces. */
export function observedAttributes(
  group: TargetGroup,
  attributes: TargetGroupAttribute[],
  tags: Record<string, string>,
  targets: string[] | undefined,
): Attrs {
  const attr = new Map(attributes.map((a) => [a.Key ?? "", a.Value]));
  return {
    name: group.TargetGroupName ?? "",
    port: group.Port ?? null,
    protocol: (group.Protocol ?? "").toUpperCase(),
    vpcId: group.VpcId ?? "",
    healthCheck: {
      path: group.HealthCheckPath ?? null,
      intervalSeconds: group.HealthCheckIntervalSeconds ?? null,
      timeoutSeconds: group.HealthCheckTimeoutSeconds ?? null,
      healthyThreshold: group.HealthyThresholdCount ?? null,
      unhealthyThreshold: group.UnhealthyThresholdCount ?? null,
      matcher: group.Matcher?.HttpCode ? normaliseMatcher(group.Matcher.HttpCode) : null,
    },
    stickiness: {
      enabled: attr.get("stickiness.enabled") === "true",
      type: attr.get("stickiness.type") ?? null,
      durationSeconds: numberOr(attr.get("stickiness.lb_cookie.duration_seconds"), null),
    },
    deregistrationDelaySeconds: numberOr(attr.get("deregistration_delay.timeout_seconds"), null),
    ...(targets ? { targets } : {}),
    tags,
  };
}
