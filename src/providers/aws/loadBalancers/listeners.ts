import {
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Facts, ResourceType } from "../../../engine/types.js";
import type { Attrs, Value } from "../../../model/index.js";
import { isPlainObject, unknown } from "../../../model/index.js";
import { certificateKey, issuedCertificates, missingCertificateMessage } from "../certificates.js";
import type { CertificateFacts } from "../certificates.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import { defaultActions, desiredRedirect } from "./attributes.js";
import type { RedirectSpec } from "./attributes.js";
import { LISTENER_TYPE } from "./observe.js";

/** Facts key for the region's issued certificates, by `certificateKey(domain, region)`. */
const CERTIFICATES = "listenerCertificates";

export type ListenerSpec = {
  /** The load balancer's config address, added by expand. */
  loadBalancer: string;
  port: number;
  protocol: "HTTP" | "HTTPS";
  certificate?: string | { domain: string };
  sslPolicy?: string;
  forward?: string;
  redirect?: RedirectSpec;
};

function spec(value: { [key: string]: Value }): ListenerSpec {
  return value as unknown as ListenerSpec;
}

function listenerParams(desired: Attrs, keepStatusCode?: Value) {
  return {
    Port: Number(desired.port),
    Protocol: String(desired.protocol) as "HTTP" | "HTTPS",
    ...(typeof desired.certificate === "string"
      ? { Certificates: [{ CertificateArn: desired.certificate }] }
      : {}),
    ...(desired.sslPolicy !== undefined ? { SslPolicy: String(desired.sslPolicy) } : {}),
    DefaultActions: defaultActions(desired, keepStatusCode),
  };
}

/** Listeners are never tagged: they belong to the load balancer, whose tags decide ownership. */
export const listenerType: ResourceType<AwsContext> = {
  type: LISTENER_TYPE,
  // A listener cannot move to another load balancer: a new one (after a replacement) means a new listener.
  replaceOn: ["loadBalancerArn"],

  risks(change) {
    return change.action === "delete" || change.action === "replace" ? ["downtime"] : [];
  },

  async lookup(ctx, nodes): Promise<Facts> {
    const wantsDomain = nodes.some((n) => isPlainObject(n.spec.certificate));
    // Only when a listener names its certificate by domain: an ARN needs no lookup.
    return wantsDomain ? { [CERTIFICATES]: await issuedCertificates(ctx, ctx.region) } : {};
  },

  desired(node, resolver) {
    const s = spec(node.spec);
    const errors: { message: string; hint?: string }[] = [];
    const attributes: Attrs = {
      loadBalancerArn: resolver.output(s.loadBalancer, "arn"),
      port: s.port,
      protocol: s.protocol,
    };
    if (s.protocol === "HTTPS" && s.certificate !== undefined) {
      if (typeof s.certificate === "string") attributes.certificate = s.certificate;
      else {
        const region = resolver.env.region;
        const certificates = (resolver.facts[CERTIFICATES] ?? {}) as CertificateFacts;
        const arn = certificates[certificateKey(s.certificate.domain, region)];
        if (arn) attributes.certificate = arn;
        else {
          attributes.certificate = unknown(`certificate for ${s.certificate.domain}`);
          errors.push({
            message: missingCertificateMessage(s.certificate.domain, region),
            hint: `request or import it in ACM in ${region} (an HTTPS listener needs a certificate in its own region), or give its ARN`,
          });
        }
      }
    }
    if (s.sslPolicy !== undefined) attributes.sslPolicy = s.sslPolicy;
    attributes.forward = s.forward !== undefined ? resolver.output(s.forward, "arn") : null;
    attributes.redirect = s.redirect !== undefined ? desiredRedirect(s.redirect) : null;
    return { attributes, ...(errors.length ? { errors } : {}) };
  },

  // Listeners are observed with their load balancers (one DescribeListeners per load balancer).
  async observe() {
    return [];
  },

  async create(ctx, op) {
    const desired = op.desired ?? {};
    const loadBalancerArn = String(desired.loadBalancerArn);
    // A re-run after an interrupted apply finds its listener on the port already (AWS refuses a
    // second one with different settings; an emulator may even accept a duplicate): converge it.
    const existing = await ctx.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
    const onPort = existing.Listeners?.find((l) => l.Port === Number(desired.port));
    if (onPort?.ListenerArn) {
      await ctx.elbv2.send(
        new ModifyListenerCommand({ ListenerArn: onPort.ListenerArn, ...listenerParams(desired) }),
      );
      return { arn: onPort.ListenerArn, port: Number(desired.port) };
    }
    const made = await ctx.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, ...listenerParams(desired) }),
    );
    return { arn: made.Listeners?.[0]?.ListenerArn ?? "", port: Number(desired.port) };
  },

  async update(ctx, op) {
    const observed = op.observed!;
    const keep = isPlainObject(observed.attributes.redirect)
      ? observed.attributes.redirect.statusCode
      : undefined;
    await ctx.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: observed.id,
        ...listenerParams(op.desired ?? {}, keep ?? undefined),
      }),
    );
    return observed.outputs;
  },

  // A listener on a load balancer being adopted: nothing to tag, just converge it.
  async adopt(ctx, op) {
    return listenerType.update(ctx, op);
  },

  async delete(ctx, op) {
    const arn = op.observed?.id ?? op.change.id ?? "";
    // Gone already when its load balancer was deleted or replaced first.
    await tolerate(() => ctx.elbv2.send(new DeleteListenerCommand({ ListenerArn: arn })), "ListenerNotFound");
  },
};
