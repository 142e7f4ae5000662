import type { Doc, Finding } from "./document.js";
import { entries, entry, list, refTo, refsTo } from "./document.js";
import { isPlainObject } from "../model/index.js";
import { admitsPort, ingressRules, isWorld } from "./rules.js";

/**
 * The load balancer can reach its targets: for every target group a listener forwards to, some
 * security group of each target instance group admits one of the load balancer's groups (or the
 * whole world) on the target group's port. Groups given as `sg-…` ids are outside the file: skipped.
 */
export function loadBalancerReach(doc: Doc): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const [lbName, lb] of entries(doc, "loadBalancers")) {
    const from = refsTo(lb.securityGroups, "securityGroups");
    if (!from?.length) continue;
    for (const listener of Array.isArray(lb.listeners) ? lb.listeners : []) {
      if (!isPlainObject(listener)) continue;
      const tgName = refTo(listener.forward, "targetGroups");
      const tg = entry(doc, "targetGroups", tgName);
      if (!tg || typeof tg.port !== "number") continue;
      const port = tg.port;
      for (const target of list(tg.targets)) {
        const instName = refTo(target, "instances");
        const instance = entry(doc, "instances", instName);
        const groups = refsTo(instance?.securityGroups, "securityGroups");
        const key = `${lbName}|${instName}|${port}`;
        if (!groups?.length || reported.has(key)) continue;
        reported.add(key);
        const admitted = groups.some((g) =>
          ingressRules(entry(doc, "securityGroups", g)).some(
            (rule) =>
              admitsPort(rule, port) &&
              (isWorld(rule.cidr) || from.includes(refTo(rule.source, "securityGroups") ?? "")),
          ),
        );
        if (admitted) continue;
        const first = groups[0] as string;
        findings.push({
          path: ["securityGroups", first, "ingress"],
          message: `loadBalancers.${lbName} cannot reach instances.${instName} on port ${port} (targetGroups.${tgName}): no rule in ${groups.map((g) => `securityGroups.${g}`).join(", ")} admits ${from.map((g) => `securityGroups.${g}`).join(", ")}`,
          hint: `add { port: ${port}, source: securityGroups.${from[0]} } to securityGroups.${first}.ingress`,
        });
      }
    }
  }
  return findings;
}
