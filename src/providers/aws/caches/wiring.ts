import type { WiringFinding, WiringRule } from "../../../engine/wiring.js";
import { references } from "../../../engine/wiring.js";
import type { DesiredNode } from "../../../model/index.js";
import { TYPE as APP_ENV } from "../appEnv/schema.js";
import { TYPE as INSTANCES } from "../instances/schema.js";
import { admitsPort, ingressRules } from "../securityGroups/wiring.js";
import { DEFAULT_PORT, TYPE } from "./schema.js";

/** ElastiCache endpoints: `master.<id>.<hash>.<region>.cache.amazonaws.com` and the like. */
const CACHE_HOST = /[a-z0-9][a-z0-9.-]*\.cache\.amazonaws\.com/gi;

/** The cache endpoints written literally in a value. */
export function cacheHosts(value: string): string[] {
  return [...value.matchAll(CACHE_HOST)].map((m) => m[0].toLowerCase());
}

/** An endpoint is a group's when the group's id is one of its labels (`chatmrpt-redis` ≠ `chatmrpt-redis-staging`). */
export function endpointOf(host: string, ids: string[]): string | undefined {
  const labels = host.split(".");
  return ids.find((id) => labels.includes(id));
}

function idOf(cache: DesiredNode): string {
  return typeof cache.spec.id === "string" ? cache.spec.id.toLowerCase() : "";
}

/**
 * In a file that declares its own caches, an app env value naming a cache endpoint that is none
 * of them points the app at another environment's cache (staging writing sessions to production's).
 */
export const foreignCacheEndpoints: WiringRule = (view) => {
  const caches = view.ofType(TYPE);
  if (caches.length === 0) return [];
  const ids = caches.map(idOf);
  return view.ofType(APP_ENV).flatMap((node): WiringFinding[] => {
    const value = node.spec.value;
    if (typeof value !== "string") return [];
    return cacheHosts(value)
      .filter((host) => endpointOf(host, ids) === undefined)
      .map((host) => ({
        address: node.address,
        message: `${String(node.spec.key)} points at the cache ${host}, which is not one of this environment's (${caches.map((c) => c.address).join(", ")})`,
        hint: `interpolate this environment's own: \${${caches[0]?.address ?? TYPE}.endpoint}:\${${caches[0]?.address ?? TYPE}.port}`,
      }));
  });
};

/**
 * Each instance group can reach each cache: some security group of the cache admits one of the
 * group's security groups (or an address range) on the cache's port. Groups given as `sg-…` ids
 * are outside the file, and a cache or instance group without file-managed groups is skipped.
 */
export const cacheReach: WiringRule = (view) => {
  const findings: WiringFinding[] = [];
  const instanceGroups = new Map<string, string[]>();
  for (const member of view.ofType(INSTANCES))
    instanceGroups.set(member.group, references(member.spec.securityGroups));
  for (const cache of view.ofType(TYPE)) {
    const groups = references(cache.spec.securityGroups);
    if (groups.length === 0) continue;
    const port = typeof cache.spec.port === "number" ? cache.spec.port : DEFAULT_PORT;
    const rules = groups.flatMap((g) => ingressRules(view.referenced(g)[0]));
    for (const [instances, from] of instanceGroups) {
      if (from.length === 0) continue;
      const admitted = rules.some(
        (rule) =>
          admitsPort(rule, port) &&
          (typeof rule.cidr === "string" || (typeof rule.source === "string" && from.includes(rule.source))),
      );
      if (admitted) continue;
      findings.push({
        address: cache.address,
        at: ["securityGroups"],
        message: `${instances} cannot reach ${cache.address} on port ${port}: no rule in ${groups.join(", ")} admits ${from.join(", ")}`,
        hint: `add { port: ${port}, source: ${from[0]} } to ${groups[0]}.ingress`,
      });
    }
  }
  return findings;
};
