import type { WiringRule } from "../../../engine/wiring.js";
import type { DesiredNode, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { TYPE } from "./schema.js";

export type IngressRule = { [key: string]: Value };

/** A security group's ingress rules as the file writes them. */
export function ingressRules(group: DesiredNode | undefined): IngressRule[] {
  const rules = group?.spec.ingress;
  return Array.isArray(rules) ? rules.filter(isPlainObject) : [];
}

/** Whether a rule lets TCP traffic to `port` through (protocol `all` ignores ports). */
export function admitsPort(rule: IngressRule, port: number): boolean {
  const protocol = rule.protocol ?? "tcp";
  if (protocol === "all") return true;
  if (protocol !== "tcp" || typeof rule.port !== "number") return false;
  const to = typeof rule.toPort === "number" ? rule.toPort : rule.port;
  return rule.port <= port && port <= to;
}

/** 0.0.0.0/0 or ::/0: every address there is. */
export function isWorld(cidr: Value | undefined): cidr is string {
  return typeof cidr === "string" && /\/0$/.test(cidr.trim());
}

/** SSH (port 22) is not open to 0.0.0.0/0 or ::/0. */
export const sshOpenToWorld: WiringRule = (view) =>
  view.ofType(TYPE).flatMap((group) =>
    ingressRules(group).flatMap((rule, i) =>
      admitsPort(rule, 22) && isWorld(rule.cidr)
        ? [
            {
              address: group.address,
              at: ["ingress", i, "cidr"],
              message: `SSH (port 22) is open to the world (${rule.cidr})`,
              hint: "allow only the addresses that need it, e.g. cidr: 203.0.113.10/32",
            },
          ]
        : [],
    ),
  );
