import type { DesiredState, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode, Value } from "../../../model/index.js";
import { unknown } from "../../../model/index.js";
import { sortIds } from "../common/lists.js";
import { userTags } from "../common/ownership.js";
import { networkFacts } from "../network.js";
import { targetGroupSpec } from "./schema.js";
import type { HealthCheckSpec, StickinessSpec } from "./schema.js";

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

/** Every member of the referenced instance groups, by id; new instances are not known until apply. */
export function desiredTargets(targets: string | string[], resolver: Resolver): Value[] {
  const groups = Array.isArray(targets) ? targets : [targets];
  return sortIds(
    groups.flatMap((group) => resolver.group(group).map((outputs) => outputs.id ?? unknown(`${group}.id`))),
  );
}

/** The target group the file asks for; unset optional settings are AWS's and never compared. */
export function desiredTargetGroup(node: DesiredNode, resolver: Resolver): DesiredState {
  const s = targetGroupSpec(node);
  const attributes: Attrs = {
    name: s.name,
    port: s.port,
    protocol: s.protocol ?? "HTTP",
    vpc: s.vpc ?? networkFacts(resolver.facts).vpcId,
  };
  const healthCheck = desiredHealthCheck(s.healthCheck ?? {});
  if (Object.keys(healthCheck).length > 0) attributes.healthCheck = healthCheck;
  if (s.stickiness !== undefined) attributes.stickiness = desiredStickiness(s.stickiness);
  if (s.deregistrationDelaySeconds !== undefined)
    attributes.deregistrationDelaySeconds = s.deregistrationDelaySeconds;
  if (s.targets !== undefined) attributes.targets = desiredTargets(s.targets, resolver);
  attributes.tags = userTags(resolver.env, s.tags);
  return { attributes };
}
