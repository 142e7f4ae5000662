import type { KindProblem } from "../../../../engine/types.js";
import type { ListenerEntry } from "./schema.js";

/** What the schema cannot express about a load balancer's listeners, one problem per mistake. */
export function checkListeners(listeners: ListenerEntry[] | undefined): KindProblem[] {
  const problems: KindProblem[] = [];
  const seen = new Map<number, number>();
  (listeners ?? []).forEach((l, i) => {
    const first = seen.get(l.port);
    if (first !== undefined) {
      problems.push({
        path: ["listeners", i, "port"],
        message: `duplicate listener port ${l.port} (also listeners[${first}])`,
        hint: "a load balancer has one listener per port",
      });
    } else seen.set(l.port, i);
    if ((l.forward === undefined) === (l.redirect === undefined)) {
      problems.push({
        path: ["listeners", i],
        message: "a listener needs exactly one of forward or redirect",
      });
    }
    if (l.protocol === "HTTPS" && l.certificate === undefined) {
      problems.push({
        path: ["listeners", i],
        message: "an HTTPS listener needs a certificate",
        hint: 'add certificate: { domain: "*.example.com" } or an ACM certificate ARN',
      });
    }
    if (l.protocol === "HTTP" && l.certificate !== undefined) {
      problems.push({
        path: ["listeners", i, "certificate"],
        message: "only HTTPS listeners take a certificate",
      });
    }
    if (l.protocol === "HTTP" && l.sslPolicy !== undefined) {
      problems.push({
        path: ["listeners", i, "sslPolicy"],
        message: "only HTTPS listeners take an SSL policy",
      });
    }
    if (l.redirect && l.redirect.port === l.port && l.redirect.protocol === l.protocol) {
      problems.push({
        path: ["listeners", i, "redirect"],
        message: `redirects to itself (${l.protocol}:${l.port}): browsers would loop`,
      });
    }
  });
  return problems;
}
