import { paginateDescribeListeners } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Action, Listener } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Facts } from "../../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../../model/index.js";
import { issuedCertificates } from "../../certificates/issued.js";
import type { Claim } from "../../common/adoption.js";
import { claimed } from "../../common/adoption.js";
import { sortIds } from "../../common/lists.js";
import type { AwsContext } from "../../context.js";
import { CERTIFICATES } from "./desired.js";
import { LISTENER_TYPE, listenerAddress, listenerSpec } from "./schema.js";

/**
 * What a listener does by default, in the file's terms: `forward` (a target group ARN; a list
 * when AWS spreads traffic over several) or `redirect`. The one not in use is null, so a
 * switch from one to the other shows on both paths.
 */
export function observedActions(actions: Action[]): { forward: Value; redirect: Value } {
  const ordered = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  const last = ordered[ordered.length - 1];
  if (last?.Type === "forward") {
    const arns = sortIds(
      last.ForwardConfig?.TargetGroups?.length
        ? last.ForwardConfig.TargetGroups.map((t) => t.TargetGroupArn ?? "")
        : [last.TargetGroupArn ?? ""],
    ).filter(Boolean);
    return { forward: arns.length === 1 ? (arns[0] ?? null) : arns, redirect: null };
  }
  if (last?.Type === "redirect" && last.RedirectConfig) {
    const r = last.RedirectConfig;
    return {
      forward: null,
      redirect: {
        protocol: (r.Protocol ?? "").toUpperCase(),
        port: r.Port ?? "",
        statusCode: r.StatusCode ?? null,
        host: r.Host ?? null,
        path: r.Path ?? null,
        query: r.Query ?? null,
      },
    };
  }
  return { forward: null, redirect: null };
}

/** A listener in the shape `desiredListener` produces. */
export function observedListener(listener: Listener): Attrs {
  const certificates = listener.Certificates ?? [];
  const certificate = certificates.find((c) => c.IsDefault) ?? certificates[0];
  const protocol = (listener.Protocol ?? "").toUpperCase();
  return {
    loadBalancer: listener.LoadBalancerArn ?? "",
    port: listener.Port ?? null,
    protocol,
    certificate: certificate?.CertificateArn ?? null,
    ...observedActions(listener.DefaultActions ?? []),
    // Some emulators report a policy on HTTP listeners too, where it does nothing.
    sslPolicy: protocol === "HTTPS" ? (listener.SslPolicy ?? null) : null,
  };
}

/**
 * The listeners of one load balancer the plan sees, as nodes of their own. A listener belongs to
 * its load balancer: it is ours exactly when the load balancer is, and a refusal of another
 * environment's load balancer is reported once, on the load balancer.
 */
export async function observeListeners(
  ctx: AwsContext,
  loadBalancerArn: string,
  owner: Claim,
): Promise<ObservedNode[]> {
  const listeners: Listener[] = [];
  for await (const page of paginateDescribeListeners(
    { client: ctx.elbv2, pageSize: 400 },
    { LoadBalancerArn: loadBalancerArn },
  ))
    listeners.push(...(page.Listeners ?? []));
  return listeners.map((listener): ObservedNode => {
    const address = listenerAddress(owner.address, listener.Port ?? 0);
    // A load balancer a `moved` entry renamed takes its listeners along.
    const movedFrom = owner.movedFrom && listenerAddress(owner.movedFrom, listener.Port ?? 0);
    return {
      type: LISTENER_TYPE,
      ...claimed({
        address,
        managed: owner.managed,
        protect: owner.protect,
        ...(movedFrom ? { movedFrom } : {}),
      }),
      group: address,
      id: listener.ListenerArn ?? "",
      attributes: observedListener(listener),
      outputs: { arn: listener.ListenerArn ?? "", port: listener.Port ?? 0 },
    };
  });
}

/** The region's issued certificates, only when a listener names its certificate by domain (an ARN needs none). */
export async function lookupCertificates(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const wantsDomain = nodes.some((n) => typeof listenerSpec(n).certificate === "object");
  return wantsDomain ? { [CERTIFICATES]: await issuedCertificates(ctx, ctx.region) } : {};
}
