import type { DesiredState, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode, Value } from "../../../model/index.js";
import { unknown } from "../../../model/index.js";
import { sortIds } from "../common/lists.js";
import { userTags } from "../common/ownership.js";
import { networkFacts } from "../network.js";
import { TARGET_GROUP_DEFAULTS, targetGroupSpec } from "./schema.js";
import type { HealthCheckSpec, StickinessSpec } from "./schema.js";

/** AWS stores the matcher without spaces: "200, 302" and "200,302" are the same matcher. */
export function normaliseMatcher(matcher: string | number): string {
  return String(matcher).replace(/\s+/g, "");
}

/** Every health-check field, the file's or AWS's default, so a change made by hand shows as drift. */
export function desiredHealthCheck(spec: HealthCheckSpec): Attrs {
  const defaults = TARGET_GROUP_DEFAULTS.healthCheck;
  return {
    path: spec.path ?? defaults.path,
    intervalSeconds: spec.intervalSeconds ?? defaults.intervalSeconds,
    timeoutSeconds: spec.timeoutSeconds ?? defaults.timeoutSeconds,
    healthyThreshold: spec.healthyThreshold ?? defaults.healthyThreshold,
    unhealthyThreshold: spec.unhealthyThreshold ?? defaults.unhealthyThreshold,
    matcher: normaliseMatcher(spec.matcher ?? defaults.matcher),
  };
}

/** `stickiness: false` only asks for it to be off; the cookie's type and duration then do nothing. */
export function desiredStickiness(spec: StickinessSpec): Attrs {
  if (spec === false) return { enabled: false };
  return {
    enabled: true,
    type: spec.type,
    durationSeconds: spec.durationSeconds ?? TARGET_GROUP_DEFAULTS.stickinessDurationSeconds,
  };
}

/** Every member of the referenced instance groups, by id; new instances are not known until apply. */
export function desiredTargets(targets: string | string[], resolver: Resolver): Value[] {
  const groups = Array.isArray(targets) ? targets : [targets];
  return sortIds(
    groups.flatMap((group) => resolver.group(group).map((outputs) => outputs.id ?? unknown(`${group}.id`))),
  );
}

/** The target group the file asks for; a setting the file leaves out is compared with AWS's default. */
export function desiredTargetGroup(node: DesiredNode, resolver: Resolver): DesiredState {
  const s = targetGroupSpec(node);
  const attributes: Attrs = {
    name: s.name,
    port: s.port,
    protocol: s.protocol ?? "HTTP",
    vpc: s.vpc ?? networkFacts(resolver.facts).vpcId,
  };
  attributes.healthCheck = desiredHealthCheck(s.healthCheck ?? {});
  attributes.stickiness = desiredStickiness(s.stickiness ?? false);
  attributes.deregistrationDelaySeconds =
    s.deregistrationDelaySeconds ?? TARGET_GROUP_DEFAULTS.deregistrationDelaySeconds;
  if (s.targets !== undefined) attributes.targets = desiredTargets(s.targets, resolver);
  attributes.tags = userTags(resolver.env, s.tags);
  return { attributes };
}
