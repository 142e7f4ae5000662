import {
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Operation, Outputs } from "../../../../engine/types.js";
import type { Attrs, Value } from "../../../../model/index.js";
import { isPlainObject } from "../../../../model/index.js";
import { httpProtocol } from "../../common/elbv2.js";
import type { AwsContext } from "../../context.js";
import { tolerate } from "../../errors.js";

/** The two status codes a redirect may have; the file's and AWS's are both normalised to these. */
function statusCodeOf(value: Value | undefined): "HTTP_301" | "HTTP_302" {
  return value === "HTTP_302" ? "HTTP_302" : "HTTP_301";
}

/** The default actions that realise desired `forward` / `redirect`. */
export function defaultActions(desired: Attrs, keepStatusCode?: Value): Action[] {
  if (typeof desired.forward === "string") return [{ Type: "forward", TargetGroupArn: desired.forward }];
  const redirect = isPlainObject(desired.redirect) ? desired.redirect : {};
  // A status code the file leaves open keeps whatever AWS has; 301 for a new listener.
  const statusCode = redirect.statusCode ?? keepStatusCode ?? "HTTP_301";
  return [
    {
      Type: "redirect",
      RedirectConfig: {
        Protocol: String(redirect.protocol),
        Port: String(redirect.port),
        StatusCode: statusCodeOf(statusCode),
      },
    },
  ];
}

function listenerParams(desired: Attrs, keepStatusCode?: Value) {
  return {
    Port: Number(desired.port),
    Protocol: httpProtocol(desired.protocol),
    ...(typeof desired.certificate === "string"
      ? { Certificates: [{ CertificateArn: desired.certificate }] }
      : {}),
    ...(typeof desired.sslPolicy === "string" ? { SslPolicy: desired.sslPolicy } : {}),
    DefaultActions: defaultActions(desired, keepStatusCode),
  };
}

export async function createListener(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const desired = op.desired ?? {};
  const loadBalancerArn = String(desired.loadBalancer);
  const port = Number(desired.port);
  // A re-run after an interrupted apply finds its listener on the port already (AWS refuses a
  // second one with different settings; an emulator may even accept a duplicate): converge it.
  const existing = await ctx.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
  const onPort = existing.Listeners?.find((l) => l.Port === port);
  if (onPort?.ListenerArn) {
    await ctx.elbv2.send(
      new ModifyListenerCommand({ ListenerArn: onPort.ListenerArn, ...listenerParams(desired) }),
    );
    return { arn: onPort.ListenerArn, port };
  }
  const made = await ctx.elbv2.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, ...listenerParams(desired) }),
  );
  return { arn: made.Listeners?.[0]?.ListenerArn ?? "", port };
}

export async function updateListener(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const redirect = observed.attributes.redirect;
  const keep = isPlainObject(redirect) ? (redirect.statusCode ?? undefined) : undefined;
  await ctx.elbv2.send(
    new ModifyListenerCommand({ ListenerArn: observed.id, ...listenerParams(op.desired ?? {}, keep) }),
  );
  return observed.outputs;
}

export async function deleteListener(ctx: AwsContext, op: Operation): Promise<void> {
  const arn = op.observed?.id ?? op.change.id ?? "";
  // Gone already when its load balancer was deleted or replaced first.
  await tolerate(() => ctx.elbv2.send(new DeleteListenerCommand({ ListenerArn: arn })), "ListenerNotFound");
}
