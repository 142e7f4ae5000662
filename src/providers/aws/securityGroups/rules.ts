import type { IpPermission } from "@aws-sdk/client-ec2";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";

/**
 * One rule in canonical form, inbound or outbound; `source` is the peer group's id (or Unknown at
 * plan time): where traffic comes from for ingress, where it may go for egress.
 */
export type Rule = {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr?: string;
  source?: Value;
  description?: string;
};

/** The two rule lists of a group, by attribute name. */
export const DIRECTIONS = ["ingress", "egress"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The outbound rule AWS gives every new group: all traffic to anywhere (IPv4). */
export const DEFAULT_EGRESS: Rule[] = [{ protocol: "all", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" }];

export function ruleKey(rule: Rule): string {
  return JSON.stringify([rule.protocol, rule.fromPort, rule.toPort, rule.cidr ?? null, rule.source ?? null]);
}

function ruleValue(rule: Rule): Value {
  const out: { [key: string]: Value } = {
    protocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
  };
  if (rule.cidr !== undefined) out.cidr = rule.cidr;
  if (rule.source !== undefined) out.source = rule.source;
  if (rule.description !== undefined) out.description = rule.description;
  return out;
}

/** AWS treats rules as a set: order them canonically so order never shows as a difference. */
export function sortRules(rules: Rule[]): Value {
  return [...rules].sort((a, b) => ruleKey(a).localeCompare(ruleKey(b))).map(ruleValue);
}

/** Rules back from attributes or details (the inverse of `sortRules`). */
export function rulesOf(value: Value | undefined): Rule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).map((r) => ({
    protocol: String(r.protocol),
    fromPort: Number(r.fromPort),
    toPort: Number(r.toPort),
    ...(typeof r.cidr === "string" ? { cidr: r.cidr } : {}),
    ...(r.source !== undefined ? { source: r.source } : {}),
    ...(typeof r.description === "string" ? { description: r.description } : {}),
  }));
}

/** Flattens AWS's grouped permissions into one rule per (port range, CIDR or source). */
export function rulesFromPermissions(permissions: IpPermission[]): Rule[] {
  const rules: Rule[] = [];
  for (const p of permissions) {
    const protocol = p.IpProtocol === "-1" ? "all" : (p.IpProtocol ?? "tcp");
    const fromPort = p.FromPort ?? -1;
    const toPort = p.ToPort ?? -1;
    for (const range of p.IpRanges ?? []) {
      rules.push({
        protocol,
        fromPort,
        toPort,
        cidr: range.CidrIp ?? "",
        ...(range.Description ? { description: range.Description } : {}),
      });
    }
    for (const pair of p.UserIdGroupPairs ?? []) {
      rules.push({
        protocol,
        fromPort,
        toPort,
        source: pair.GroupId ?? "",
        ...(pair.Description ? { description: pair.Description } : {}),
      });
    }
  }
  return rules;
}

export function rulesToPermissions(rules: Rule[]): IpPermission[] {
  return rules.map((rule) => ({
    IpProtocol: rule.protocol === "all" ? "-1" : rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    ...(rule.cidr
      ? {
          IpRanges: [
            {
              CidrIp: rule.cidr,
              ...(rule.description !== undefined ? { Description: rule.description } : {}),
            },
          ],
        }
      : {}),
    ...(typeof rule.source === "string"
      ? {
          UserIdGroupPairs: [
            {
              GroupId: rule.source,
              ...(rule.description !== undefined ? { Description: rule.description } : {}),
            },
          ],
        }
      : {}),
  }));
}
