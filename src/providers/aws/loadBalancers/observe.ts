import {
  DescribeLoadBalancerAttributesCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Listener, LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { describeTags, perResource } from "../common/elbv2.js";
import { isAwsError } from "../errors.js";
import { ownedElsewhere, ownership } from "../tags.js";
import { listenerAddress, observedListener, observedLoadBalancer } from "./attributes.js";

export const TYPE = "loadBalancers";
export const LISTENER_TYPE = "listeners";

type Candidate = {
  lb: LoadBalancer;
  tags: Record<string, string>;
  address: string;
  managed: boolean;
  protect: boolean;
};

export function loadBalancerOutputs(lb: LoadBalancer): ObservedNode["outputs"] {
  return {
    arn: lb.LoadBalancerArn ?? "",
    dnsName: lb.DNSName ?? "",
    hostedZoneId: lb.CanonicalHostedZoneId ?? "",
    name: lb.LoadBalancerName ?? "",
  };
}

async function listenersOf(ctx: AwsContext, arn: string): Promise<Listener[]> {
  const out: Listener[] = [];
  for await (const page of paginateDescribeListeners({ client: ctx.elbv2 }, { LoadBalancerArn: arn }))
    out.push(...(page.Listeners ?? []));
  return out;
}

/**
 * Load balancers and their listeners together: one paginated DescribeLoadBalancers for the
 * region, DescribeTags in batches of 20, then per load balancer (there is no batch API for
 * either) DescribeLoadBalancerAttributes and DescribeListeners, a few at a time. Listeners are
 * returned here as nodes of their own type, so nothing lists the load balancers twice.
 */
export async function observeLoadBalancers(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const byName = new Map(nodes.map((n) => [String(n.spec.name), n.address]));
  const all: LoadBalancer[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: ctx.elbv2 }, {})) {
    all.push(
      ...(page.LoadBalancers ?? []).filter((lb) => lb.Type === undefined || lb.Type === "application"),
    );
  }
  const tagsByArn = await describeTags(ctx, all.map((lb) => lb.LoadBalancerArn ?? "").filter(Boolean));

  const candidates: Candidate[] = [];
  const adopting = new Set<string>();
  for (const lb of all) {
    const tags = tagsByArn.get(lb.LoadBalancerArn ?? "") ?? {};
    const owner = ownership(tags, env);
    const named = byName.get(lb.LoadBalancerName ?? "");
    if (owner.managed && owner.address) {
      candidates.push({ lb, tags, address: owner.address, managed: true, protect: owner.protect });
    } else if (!owner.managed && !ownedElsewhere(tags, env) && named && !adopting.has(named)) {
      // Names are unique in AWS; an emulator may hold two. Adopt the first one only.
      adopting.add(named);
      candidates.push({ lb, tags, address: named, managed: false, protect: false });
    }
  }

  const observed = await perResource(candidates, async (c): Promise<ObservedNode[]> => {
    const arn = c.lb.LoadBalancerArn ?? "";
    try {
      const [attributes, listeners] = await Promise.all([
        ctx.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
        listenersOf(ctx, arn),
      ]);
      const lbNode: ObservedNode = {
        type: TYPE,
        address: c.address,
        id: arn,
        managed: c.managed,
        protect: c.protect,
        attributes: observedLoadBalancer(c.lb, attributes.Attributes ?? [], c.tags),
        outputs: loadBalancerOutputs(c.lb),
        details: { state: c.lb.State?.Code ?? "" },
      };
      // A listener belongs to its load balancer: it is ours exactly when the load balancer is.
      const listenerNodes = listeners.map((listener): ObservedNode => {
        const address = listenerAddress(c.address, listener.Port ?? 0);
        return {
          type: LISTENER_TYPE,
          address,
          group: address,
          id: listener.ListenerArn ?? "",
          managed: c.managed,
          protect: c.protect,
          attributes: observedListener(listener),
          outputs: { arn: listener.ListenerArn ?? "", port: listener.Port ?? 0 },
        };
      });
      return [lbNode, ...listenerNodes];
    } catch (error) {
      // Deleted between the listing and these reads: it no longer exists.
      if (isAwsError(error, "LoadBalancerNotFound")) return [];
      throw error;
    }
  });
  return observed.flat();
}
