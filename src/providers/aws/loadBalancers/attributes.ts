import type {
  Action,
  Listener,
  LoadBalancer,
  LoadBalancerAttribute,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Attrs, Value } from "../../../model/index.js";
import { sortIds } from "../common/lists.js";

const IDLE_TIMEOUT = "idle_timeout.timeout_seconds";
const CROSS_ZONE = "load_balancing.cross_zone.enabled";

export type RedirectSpec = { protocol: string; port: number; statusCode?: number | string };

/** A load balancer as comparable attributes; subnets and security groups are sets, so sorted. */
export function observedLoadBalancer(
  lb: LoadBalancer,
  attributes: LoadBalancerAttribute[],
  tags: Record<string, string>,
): Attrs {
  const attr = new Map(attributes.map((a) => [a.Key ?? "", a.Value]));
  const idle = attr.get(IDLE_TIMEOUT);
  const crossZone = attr.get(CROSS_ZONE);
  return {
    name: lb.LoadBalancerName ?? "",
    // AWS defaults the scheme to internet-facing; an emulator may leave it out when it was not given.
    scheme: lb.Scheme ?? "internet-facing",
    subnets: sortIds((lb.AvailabilityZones ?? []).map((z) => z.SubnetId ?? "").filter(Boolean)),
    securityGroups: sortIds(lb.SecurityGroups ?? []),
    // Absent until set on some emulators; AWS reports 60. Either way only compared when the file sets it.
    idleTimeoutSeconds: idle !== undefined && idle !== "" ? Number(idle) : null,
    crossZone: crossZone === undefined ? null : crossZone === "true",
    tags,
  };
}

/** The load-balancer attributes (key/value strings) that realise the desired state. */
export function loadBalancerAttributeUpdates(desired: Attrs): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  if (desired.idleTimeoutSeconds !== undefined)
    out.push({ Key: IDLE_TIMEOUT, Value: String(desired.idleTimeoutSeconds) });
  if (desired.crossZone !== undefined) out.push({ Key: CROSS_ZONE, Value: String(desired.crossZone) });
  return out;
}

/** `301`, `"301"` and `"HTTP_301"` are the same status code; AWS spells it `HTTP_301`. */
export function normaliseStatusCode(code: number | string): string {
  const text = String(code).toUpperCase();
  return text.startsWith("HTTP_") ? text : `HTTP_${text}`;
}

/** Only what the file sets; AWS fills in host, path and query (`#{host}`…), which are not compared. */
export function desiredRedirect(spec: RedirectSpec): Attrs {
  return {
    protocol: spec.protocol.toUpperCase(),
    port: String(spec.port),
    ...(spec.statusCode !== undefined ? { statusCode: normaliseStatusCode(spec.statusCode) } : {}),
  };
}

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
    return { forward: arns.length === 1 ? (arns[0] as string) : arns, redirect: null };
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

/** The default actions that realise desired `forward` / `redirect`. */
export function defaultActions(desired: Attrs, keepStatusCode?: Value): Action[] {
  if (typeof desired.forward === "string") return [{ Type: "forward", TargetGroupArn: desired.forward }];
  const redirect = (desired.redirect ?? {}) as Attrs;
  // A status code the file leaves open keeps whatever AWS has; 301 for a new listener.
  const statusCode = redirect.statusCode ?? keepStatusCode ?? "HTTP_301";
  return [
    {
      Type: "redirect",
      RedirectConfig: {
        Protocol: String(redirect.protocol),
        Port: String(redirect.port),
        StatusCode: String(statusCode) as "HTTP_301" | "HTTP_302",
      },
    },
  ];
}

export function observedListener(listener: Listener): Attrs {
  const certificates = listener.Certificates ?? [];
  const certificate = certificates.find((c) => c.IsDefault) ?? certificates[0];
  return {
    loadBalancerArn: listener.LoadBalancerArn ?? "",
    port: listener.Port ?? null,
    protocol: (listener.Protocol ?? "").toUpperCase(),
    certificate: certificate?.CertificateArn ?? null,
    ...observedActions(listener.DefaultActions ?? []),
    sslPolicy: listener.SslPolicy ?? null,
  };
}

/** `loadBalancers.web.listeners[443]`: one node per port, so each listener is its own plan line. */
export function listenerAddress(loadBalancer: string, port: number | string): string {
  return `${loadBalancer}.listeners[${port}]`;
}
