import type { Exporter } from "../../../../engine/types.js";
import type { Value } from "../../../../model/index.js";
import { isPlainObject } from "../../../../model/index.js";
import type { AwsContext } from "../../context.js";
import { LISTENER_DEFAULTS } from "./schema.js";

/** A listener as an entry of its load balancer's `listeners` (listed with the load balancer). */
export const listenerExporter: Exporter<AwsContext> = {
  list: () => Promise.resolve([]),
  entry([item], { refs }) {
    const a = item!.attributes;
    const omitted: string[] = [];
    const port = Number(a.port);
    const spec: { [key: string]: Value } = { port, protocol: a.protocol ?? "HTTP" };
    if (typeof a.certificate === "string") {
      const domain = item!.details?.certificateDomain;
      spec.certificate = typeof domain === "string" ? { domain } : a.certificate;
    }
    if (
      a.protocol === "HTTPS" &&
      typeof a.sslPolicy === "string" &&
      a.sslPolicy !== LISTENER_DEFAULTS.httpsSslPolicy
    )
      spec.sslPolicy = a.sslPolicy;
    if (typeof a.forward === "string") {
      const to = refs.to(a.forward);
      if (to) spec.forward = to;
      else
        omitted.push(`listener ${port} forwards to ${a.forward}, which is not exported (--follow adds it)`);
    } else if (Array.isArray(a.forward)) {
      omitted.push(`listener ${port} spreads traffic over ${a.forward.length} target groups`);
    }
    if (isPlainObject(a.redirect)) {
      const r = a.redirect;
      spec.redirect = {
        protocol: r.protocol ?? "HTTPS",
        port: Number(r.port),
        statusCode: r.statusCode ?? "HTTP_301",
      };
      const extra = ["host", "path", "query"].filter((k) => r[k] !== null && !String(r[k]).startsWith("#{"));
      if (extra.length > 0) omitted.push(`listener ${port}'s redirect ${extra.join(", ")}`);
    }
    if (spec.forward === undefined && spec.redirect === undefined) {
      omitted.push(`listener ${port} (its action cannot be written)`);
      return { spec: {}, omitted, drop: true };
    }
    return { spec, omitted };
  },
};
