import {
  DescribeLoadBalancerAttributesCommand,
  paginateDescribeLoadBalancers,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { LoadBalancer, LoadBalancerAttribute } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import { perResource } from "../common/elbv2.js";
import { anyOurs, taggedOfType, tagsForClaims } from "../common/claimTags.js";
import { LOAD_BALANCER_ARN, elbv2Tags } from "../common/elbv2Tags.js";
import { sortIds } from "../common/lists.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { isAwsError } from "../errors.js";
import { observeListeners } from "./listeners/observe.js";
import { LOAD_BALANCER_DEFAULTS, TYPE, loadBalancerSpec } from "./schema.js";

/** The load-balancer attribute keys AWS uses for the file's settings. */
export const ATTRIBUTE_KEYS = {
  idleTimeoutSeconds: "idle_timeout.timeout_seconds",
  crossZone: "load_balancing.cross_zone.enabled",
} as const;

export function loadBalancerOutputs(lb: LoadBalancer): ObservedNode["outputs"] {
  return {
    arn: lb.LoadBalancerArn ?? "",
    dnsName: lb.DNSName ?? "",
    hostedZoneId: lb.CanonicalHostedZoneId ?? "",
    name: lb.LoadBalancerName ?? "",
  };
}

/** A load balancer as comparable attributes; subnets and security groups are sets, so sorted. */
export function observedLoadBalancer(
  lb: LoadBalancer,
  attributes: LoadBalancerAttribute[],
  tags: TagMap,
): Attrs {
  const attr = new Map(attributes.map((a) => [a.Key ?? "", a.Value]));
  const idle = attr.get(ATTRIBUTE_KEYS.idleTimeoutSeconds);
  const crossZone = attr.get(ATTRIBUTE_KEYS.crossZone);
  return {
    name: lb.LoadBalancerName ?? "",
    // AWS defaults the scheme to internet-facing; an emulator may leave it out when it was not given.
    scheme: lb.Scheme ?? "internet-facing",
    subnets: sortIds((lb.AvailabilityZones ?? []).map((z) => z.SubnetId ?? "").filter(Boolean)),
    securityGroups: sortIds(lb.SecurityGroups ?? []),
    // Absent until set on some emulators: absent is what AWS reports as its default.
    idleTimeoutSeconds:
      idle !== undefined && idle !== "" ? Number(idle) : LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds,
    crossZone: crossZone === undefined ? LOAD_BALANCER_DEFAULTS.crossZone : crossZone === "true",
    tags,
  };
}

/** A load balancer as the plan sees it, with its listeners as nodes of their own. */
async function observeOne(
  ctx: AwsContext,
  lb: LoadBalancer,
  tags: TagMap,
  owner: Claim,
): Promise<ObservedNode[]> {
  const arn = lb.LoadBalancerArn ?? "";
  try {
    const [attributes, listeners] = await Promise.all([
      ctx.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
      observeListeners(ctx, arn, owner),
    ]);
    const node: ObservedNode = {
      type: TYPE,
      ...claimed(owner),
      id: arn,
      attributes: observedLoadBalancer(lb, attributes.Attributes ?? [], tags),
      outputs: loadBalancerOutputs(lb),
      details: { state: lb.State?.Code ?? "" },
    };
    return [node, ...listeners];
  } catch (error) {
    // Deleted between the listing and these reads: it no longer exists.
    if (isAwsError(error, "LoadBalancerNotFound")) return [];
    throw error;
  }
}

async function listLoadBalancers(ctx: AwsContext): Promise<LoadBalancer[]> {
  const all: LoadBalancer[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: ctx.elbv2, pageSize: 400 }, {})) {
    all.push(
      ...(page.LoadBalancers ?? []).filter((lb) => lb.Type === undefined || lb.Type === "application"),
    );
  }
  return all;
}

/**
 * Load balancers and their listeners together: one paginated DescribeLoadBalancers for the
 * region, alongside the shared tagging answer that says which are ours (and with what tags), the
 * service's tags only where that answer is not enough (`tagsForClaims`), then per load balancer
 * (there is no batch API for either) DescribeLoadBalancerAttributes and DescribeListeners, a few
 * at a time. Listeners are returned here as nodes of their own type, so nothing lists the load
 * balancers twice. A file without load balancers lists none unless one is ours (`anyOurs`).
 */
export async function observeLoadBalancers(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const tagging = taggedOfType(ctx, env, "elasticloadbalancing", LOAD_BALANCER_ARN);
  if (nodes.length === 0 && !anyOurs(await tagging, env)) return [];
  const [all, tagged] = await Promise.all([listLoadBalancers(ctx), tagging]);
  const wanted = wantedBy(nodes, (n) => loadBalancerSpec(n).name);
  const protectedNames = new Set(nodes.filter((n) => n.protect).map((n) => loadBalancerSpec(n).name));
  const listed = all.map((lb) => ({ arn: lb.LoadBalancerArn ?? "", name: lb.LoadBalancerName }));
  const tagsByArn = await tagsForClaims(env, listed, {
    tagged,
    wanted,
    protectedNames,
    readTags: (arns) => elbv2Tags(ctx, arns),
  });
  const tagsOf = (lb: LoadBalancer) => tagsByArn.get(lb.LoadBalancerArn ?? "") ?? {};
  const claims = claim(
    all.filter((lb) => tagsByArn.has(lb.LoadBalancerArn ?? "")),
    {
      tagsOf,
      keyOf: (lb) => lb.LoadBalancerName,
      labelOf: (lb) => `load balancer ${lb.LoadBalancerName ?? lb.LoadBalancerArn ?? ""}`,
      wanted,
      env,
    },
  );
  const observed = await perResource(claims, ({ item, claim: owner }) =>
    observeOne(ctx, item, tagsOf(item), owner),
  );
  return observed.flat();
}
