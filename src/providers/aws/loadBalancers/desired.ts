import type { DesiredState, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode } from "../../../model/index.js";
import { sortIds } from "../common/lists.js";
import { userTags } from "../common/ownership.js";
import { networkFacts } from "../network.js";
import { LOAD_BALANCER_DEFAULTS, loadBalancerSpec } from "./schema.js";

/** The load balancer the file asks for; subnets and security groups are sets, so sorted. */
export function desiredLoadBalancer(node: DesiredNode, resolver: Resolver): DesiredState {
  const s = loadBalancerSpec(node);
  const attributes: Attrs = {
    name: s.name,
    scheme: s.scheme ?? "internet-facing",
    // Unset means the environment's subnets (all of them, one per zone by default).
    subnets: sortIds(s.subnets ?? networkFacts(resolver.facts).subnets.map((subnet) => subnet.id)),
  };
  if (s.securityGroups !== undefined) {
    attributes.securityGroups = sortIds(
      s.securityGroups.map((g) => (g.startsWith("sg-") ? g : resolver.output(g, "id"))),
    );
  }
  attributes.idleTimeoutSeconds = s.idleTimeoutSeconds ?? LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds;
  attributes.crossZone = s.crossZone ?? LOAD_BALANCER_DEFAULTS.crossZone;
  attributes.tags = userTags(resolver.env, s.tags);
  return { attributes };
}
