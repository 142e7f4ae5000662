import type { Doc, Finding } from "./document.js";
import { dnsRecords, entries, entry, refTo } from "./document.js";
import { isPlainObject } from "../model/index.js";

function origin(text: string): string {
  return text.trim().toLowerCase().replace(/\/+$/, "");
}

/** The public origins the file serves, each with why it is one. */
function publicOrigins(doc: Doc): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, d] of entries(doc, "distributions")) {
    for (const alias of Array.isArray(d.aliases) ? d.aliases : [])
      if (typeof alias === "string") out.set(origin(`https://${alias}`), `an alias of distributions.${name}`);
  }
  for (const record of dnsRecords(doc)) {
    const distribution = refTo(record.alias, "distributions");
    if (distribution && entry(doc, "distributions", distribution))
      out.set(origin(`https://${record.name}`), `a DNS name of distributions.${distribution}`);
    const balancer = refTo(record.alias, "loadBalancers");
    const lb = entry(doc, "loadBalancers", balancer);
    if (lb) {
      // A load balancer without an HTTPS listener serves its DNS names over plain HTTP.
      const https = (Array.isArray(lb.listeners) ? lb.listeners : []).some(
        (l) => isPlainObject(l) && l.protocol === "HTTPS",
      );
      out.set(
        origin(`${https ? "https" : "http"}://${record.name}`),
        `a DNS name of loadBalancers.${balancer}`,
      );
    }
  }
  return out;
}

/** `appEnv.values.CORS_ORIGINS` (comma-separated) lists every public origin the file serves. */
export function corsCoverage(doc: Doc): Finding[] {
  const appEnv = doc.appEnv;
  const values = isPlainObject(appEnv) ? appEnv.values : undefined;
  const cors = isPlainObject(values) ? values.CORS_ORIGINS : undefined;
  // A secret or interpolated value cannot be read here; `*` allows every origin.
  if (typeof cors !== "string" || cors.includes("${")) return [];
  const listed = new Set(cors.split(",").map(origin).filter(Boolean));
  if (listed.has("*")) return [];
  return [...publicOrigins(doc)]
    .filter(([o]) => !listed.has(o))
    .map(([o, why]) => ({
      path: ["appEnv", "values", "CORS_ORIGINS"],
      message: `CORS_ORIGINS lacks ${o} (${why})`,
      hint: "add it to the comma-separated list, or browsers block the app's API calls from that page",
    }));
}
