import type { DesiredState, Resolver } from "../../../engine/types.js";
import type { DesiredNode } from "../../../model/index.js";
import { userTags } from "../common/ownership.js";
import { networkFacts } from "../network.js";
import { DEFAULT_EGRESS, sortRules } from "./rules.js";
import type { Rule } from "./rules.js";
import { defaultDescription, groupSpec } from "./schema.js";
import type { RuleSpec } from "./schema.js";

function normaliseProtocol(protocol: string): string {
  const p = protocol.toLowerCase();
  return p === "-1" || p === "all" ? "all" : p;
}

function normaliseCidr(cidr: string): string {
  return cidr.includes("/") ? cidr : `${cidr}/32`;
}

/**
 * A rule as AWS records it: a source resolves to its group's id; `all` has no ports (AWS says -1).
 * A rule without a description has none, so one added by hand shows as drift.
 */
function canonicalRule(r: RuleSpec, resolver: Resolver): Rule {
  const protocol = normaliseProtocol(r.protocol ?? "tcp");
  const all = protocol === "all";
  const rule: Rule = { protocol, fromPort: all ? -1 : r.port, toPort: all ? -1 : (r.toPort ?? r.port) };
  if (r.cidr) rule.cidr = normaliseCidr(r.cidr);
  if (r.source) rule.source = resolver.output(r.source, "id");
  if (r.description) rule.description = r.description;
  return rule;
}

/** The group the file asks for; rules are sets (sorted); no `egress` means AWS's default outbound rule. */
export function desiredGroup(node: DesiredNode, resolver: Resolver): DesiredState {
  const s = groupSpec(node);
  const rules = (list: RuleSpec[] | undefined) => (list ?? []).map((r) => canonicalRule(r, resolver));
  return {
    attributes: {
      name: s.name,
      description: s.description ?? defaultDescription(s.name),
      vpc: s.vpc ?? networkFacts(resolver.facts).vpcId,
      ingress: sortRules(rules(s.ingress)),
      egress: sortRules(s.egress ? rules(s.egress) : DEFAULT_EGRESS),
      tags: userTags(resolver.env, s.tags),
    },
  };
}
