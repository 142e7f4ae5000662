import type { WiringRule, WiringView } from "../../../engine/wiring.js";
import { aliasesOf, distributionsOf } from "../distributions/wiring.js";
import { aliasTarget, servedNames } from "../dns/wiring.js";
import { TYPE as LOAD_BALANCERS } from "../loadBalancers/schema.js";
import { httpsListenersOf } from "../loadBalancers/wiring.js";
import { TYPE } from "./schema.js";

function origin(text: string): string {
  return text.trim().toLowerCase().replace(/\/+$/, "");
}

/** The public origins the file serves, each with why it is one. */
function publicOrigins(view: WiringView): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of distributionsOf(view))
    for (const alias of aliasesOf(d)) out.set(origin(`https://${alias}`), `an alias of ${d.address}`);
  for (const served of servedNames(view)) {
    const target = aliasTarget(view, served);
    if (!target) continue;
    // A load balancer without an HTTPS listener serves its DNS names over plain HTTP.
    const https = target.type !== LOAD_BALANCERS || httpsListenersOf(view, target.group).length > 0;
    out.set(origin(`${https ? "https" : "http"}://${served.name}`), `a DNS name of ${target.group}`);
  }
  return out;
}

/** `appEnv.values.CORS_ORIGINS` (comma-separated) lists every public origin the file serves. */
export const corsCoverage: WiringRule = (view) => {
  const node = view.ofType(TYPE).find((n) => n.spec.key === "CORS_ORIGINS");
  const cors = node?.spec.value;
  // A secret or interpolated value cannot be read here; `*` allows every origin.
  if (!node || typeof cors !== "string" || cors.includes("${")) return [];
  const listed = new Set(cors.split(",").map(origin).filter(Boolean));
  if (listed.has("*")) return [];
  return [...publicOrigins(view)]
    .filter(([o]) => !listed.has(o))
    .map(([o, why]) => ({
      address: node.address,
      message: `CORS_ORIGINS lacks ${o} (${why})`,
      hint: "add it to the comma-separated list, or browsers block the app's API calls from that page",
    }));
};
