import { certificateNamesOf } from "../certificates/wiring.js";
import type { WiringFinding, WiringRule, WiringView } from "../../../engine/wiring.js";
import { covers, hostName, notCovered } from "../../../engine/wiring.js";
import type { DesiredNode, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { distributionCertificate } from "../distributions/wiring.js";
import { TYPE as DISTRIBUTIONS } from "../distributions/schema.js";
import { httpsListenersOf } from "../loadBalancers/wiring.js";
import { TYPE as LOAD_BALANCERS } from "../loadBalancers/schema.js";
import { TYPE } from "./schema.js";

/** A record the file serves, with its name made absolute (a name without the zone is relative to it; `@` is the zone). */
export type ServedName = { node: DesiredNode; name: string; alias: Value | undefined };

export function servedNames(view: WiringView): ServedName[] {
  return view.ofType(TYPE).flatMap((node) => {
    const record = node.spec.record;
    if (!isPlainObject(record) || typeof record.name !== "string") return [];
    const zone = typeof node.spec.zone === "string" ? hostName(node.spec.zone) : "";
    let name = hostName(record.name);
    if (zone && name === "@") name = zone;
    else if (zone && name !== zone && !name.endsWith("." + zone)) name = `${name}.${zone}`;
    return [{ node, name, alias: record.alias }];
  });
}

/** The distribution or load balancer a record aliases, when it is one of the file's. */
export function aliasTarget(view: WiringView, served: ServedName): DesiredNode | undefined {
  const target = view.referenced(served.alias)[0];
  return target && [DISTRIBUTIONS, LOAD_BALANCERS].includes(target.type) ? target : undefined;
}

/** Every DNS name aliasing a distribution or a load balancer with HTTPS listeners is covered by their certificates. */
export const recordNamesCovered: WiringRule = (view) => {
  const findings: WiringFinding[] = [];
  for (const served of servedNames(view)) {
    const target = aliasTarget(view, served);
    const at = { address: served.node.address, at: ["name"] };
    if (target?.type === DISTRIBUTIONS) {
      const certificate = distributionCertificate(view, target);
      if (certificate && !certificate.some((c) => covers(c, served.name)))
        findings.push(notCovered(served.name, target.group, certificate, at));
    }
    if (target?.type === LOAD_BALANCERS) {
      for (const listener of httpsListenersOf(view, target.group)) {
        const certificate = certificateNamesOf(view, listener.node.spec.certificate, view.region);
        if (certificate && !certificate.some((c) => covers(c, served.name)))
          findings.push(notCovered(served.name, listener.name, certificate, at));
      }
    }
  }
  return findings;
};
