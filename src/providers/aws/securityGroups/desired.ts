import type { DesiredState, Resolver } from "../../../engine/types.js";
import type { DesiredNode } from "../../../model/index.js";
import { userTags } from "../common/ownership.js";
import { networkFacts } from "../network.js";
import { sortRules } from "./rules.js";
import type { Rule } from "./rules.js";
import { defaultDescription, groupSpec } from "./schema.js";

function normaliseProtocol(protocol: string): string {
  const p = protocol.toLowerCase();
  return p === "-1" || p === "all" ? "all" : p;
}

function normaliseCidr(cidr: string): string {
  return cidr.includes("/") ? cidr : `${cidr}/32`;
}

/**
 * The group the file asks for; rules are a set (sorted), and a source resolves to its group's id.
 * A rule without a description has none, so one added by hand shows as drift.
 */
export function desiredGroup(node: DesiredNode, resolver: Resolver): DesiredState {
  const s = groupSpec(node);
  const ingress = (s.ingress ?? []).map((r): Rule => {
    const rule: Rule = {
      protocol: normaliseProtocol(r.protocol ?? "tcp"),
      fromPort: r.port,
      toPort: r.toPort ?? r.port,
    };
    if (r.cidr) rule.cidr = normaliseCidr(r.cidr);
    if (r.source) rule.source = resolver.output(r.source, "id");
    if (r.description) rule.description = r.description;
    return rule;
  });
  return {
    attributes: {
      name: s.name,
      description: s.description ?? defaultDescription(s.name),
      vpc: s.vpc ?? networkFacts(resolver.facts).vpcId,
      ingress: sortRules(ingress),
      tags: userTags(resolver.env, s.tags),
    },
  };
}
