import { formatPath } from "../../../model/index.js";
import type { DesiredNode } from "../../../model/index.js";
import type { WiringFinding, WiringRule, WiringView } from "../../../engine/wiring.js";
import { references } from "../../../engine/wiring.js";
import { admitsPort, ingressRules, isWorld } from "../securityGroups/wiring.js";
import { LISTENER_TYPE } from "./listeners/schema.js";

/** A load balancer's HTTPS listeners, each named as the file places it (`loadBalancers.web.listeners[1]`). */
export function httpsListenersOf(
  view: WiringView,
  loadBalancer: string,
): { name: string; node: DesiredNode }[] {
  return view
    .ofType(LISTENER_TYPE)
    .filter((l) => l.spec.loadBalancer === loadBalancer && l.spec.protocol === "HTTPS")
    .map((node) => ({ name: node.path ? formatPath(node.path) : node.address, node }));
}

/**
 * The load balancer can reach its targets: for every target group a listener forwards to, some
 * security group of each target instance group admits one of the load balancer's groups (or the
 * whole world) on the target group's port. Groups given as `sg-…` ids are outside the file: skipped.
 */
export const loadBalancerReach: WiringRule = (view) => {
  const findings: WiringFinding[] = [];
  const reported = new Set<string>();
  for (const listener of view.ofType(LISTENER_TYPE)) {
    const lb = view.referenced(listener.spec.loadBalancer)[0];
    const from = references(lb?.spec.securityGroups);
    const tg = view.referenced(listener.spec.forward)[0];
    if (!lb || from.length === 0 || !tg || typeof tg.spec.port !== "number") continue;
    const port = tg.spec.port;
    for (const target of references(tg.spec.targets)) {
      const member = view.referenced(target)[0];
      const groups = references(member?.spec.securityGroups);
      const key = `${lb.group}|${target}|${port}`;
      if (groups.length === 0 || reported.has(key)) continue;
      reported.add(key);
      const admitted = groups.some((g) =>
        ingressRules(view.referenced(g)[0]).some(
          (rule) =>
            admitsPort(rule, port) &&
            (isWorld(rule.cidr) || (typeof rule.source === "string" && from.includes(rule.source))),
        ),
      );
      if (admitted) continue;
      const first = groups[0] as string;
      findings.push({
        address: first,
        at: ["ingress"],
        message: `${lb.group} cannot reach ${target} on port ${port} (${tg.group}): no rule in ${groups.join(", ")} admits ${from.join(", ")}`,
        hint: `add { port: ${port}, source: ${from[0]} } to ${first}.ingress`,
      });
    }
  }
  return findings;
};

/**
 * Every listener's port is admitted by some security group of its load balancer (from anywhere: a
 * CIDR or another group), or no client can reach it, the way a 443 listener behind a group that
 * admits only 80 serves nobody. Groups given as `sg-…` ids are outside the file: skipped.
 */
export const listenerPortsAdmitted: WiringRule = (view) => {
  const findings: WiringFinding[] = [];
  for (const listener of view.ofType(LISTENER_TYPE)) {
    const lb = view.referenced(listener.spec.loadBalancer)[0];
    const names = references(lb?.spec.securityGroups);
    const groups = names.map((name) => view.referenced(name)[0]);
    const port = listener.spec.port;
    if (!lb || typeof port !== "number" || groups.length === 0 || groups.some((g) => !g)) continue;
    if (groups.some((group) => ingressRules(group).some((rule) => admitsPort(rule, port)))) continue;
    findings.push({
      address: listener.address,
      at: ["port"],
      message: `the listener on port ${port} is unreachable: no rule in ${names.join(", ")} admits port ${port}`,
      hint: `add { port: ${port}, cidr: 0.0.0.0/0 } to ${names[0] ?? "its security group"}.ingress`,
    });
  }
  return findings;
};
