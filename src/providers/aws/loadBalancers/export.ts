import {
  DescribeLoadBalancerAttributesCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ExportItem, Exporter } from "../../../engine/types.js";
import { issuedCertificates } from "../certificates/issued.js";
import { domainOfCertificate } from "../common/certificateDomains.js";
import { describeTags, perResource } from "../common/elbv2.js";
import { exportedTags, itemOf, referencesOr, strings } from "../common/exporting.js";
import { sortIds } from "../common/lists.js";
import type { AwsContext } from "../context.js";
import { networkFacts } from "../network.js";
import { LISTENER_TYPE } from "./listeners/schema.js";
import { observedListener } from "./listeners/observe.js";
import { loadBalancerOutputs, observedLoadBalancer } from "./observe.js";

/** Application load balancers of the region, and their listeners as items that go inside their entry. */
export const loadBalancerExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const all: LoadBalancer[] = [];
    for await (const page of paginateDescribeLoadBalancers({ client: ctx.elbv2 }, {}))
      all.push(
        ...(page.LoadBalancers ?? []).filter((lb) => lb.Type === undefined || lb.Type === "application"),
      );
    const [tags, issued] = await Promise.all([
      describeTags(ctx, all.map((lb) => lb.LoadBalancerArn ?? "").filter(Boolean)),
      issuedCertificates(ctx, ctx.region),
    ]);
    const found = await perResource(all, async (lb): Promise<ExportItem[]> => {
      const arn = lb.LoadBalancerArn ?? "";
      const own = tags.get(arn) ?? {};
      const attributes = await ctx.elbv2.send(
        new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
      );
      const node = {
        id: arn,
        attributes: observedLoadBalancer(lb, attributes.Attributes ?? [], own),
        outputs: loadBalancerOutputs(lb),
      };
      const listeners: ExportItem[] = [];
      for await (const page of paginateDescribeListeners({ client: ctx.elbv2 }, { LoadBalancerArn: arn })) {
        for (const listener of page.Listeners ?? []) {
          const attrs = observedListener(listener);
          const certificate = typeof attrs.certificate === "string" ? attrs.certificate : undefined;
          const domain = certificate ? domainOfCertificate(issued, certificate, ctx.region) : undefined;
          listeners.push({
            name: `${lb.LoadBalancerName ?? ""}:${listener.Port ?? 0}`,
            id: listener.ListenerArn ?? "",
            tags: {},
            outputs: { arn: listener.ListenerArn ?? "" },
            attributes: attrs,
            ...(domain !== undefined ? { details: { certificateDomain: domain } } : {}),
            parent: { id: arn, path: "listeners" },
            type: LISTENER_TYPE,
          });
        }
      }
      return [itemOf(node, lb.LoadBalancerName ?? "", own, env), ...listeners];
    });
    return found.flat();
  },
  entry([item], { refs, facts }) {
    const a = item!.attributes;
    const subnets = strings(a.subnets);
    const defaultSubnets = sortIds(networkFacts(facts).subnets.map((s) => s.id));
    return {
      spec: {
        name: item!.name,
        scheme: a.scheme ?? "internet-facing",
        ...(subnets.join() !== defaultSubnets.join() ? { subnets } : {}),
        securityGroups: referencesOr(strings(a.securityGroups), refs.to),
        idleTimeoutSeconds: a.idleTimeoutSeconds ?? 60,
        crossZone: a.crossZone ?? true,
        ...exportedTags(item!.tags),
      },
    };
  },
  keyNoise: ["alb", "elb", "lb", "load", "balancer"],
};
