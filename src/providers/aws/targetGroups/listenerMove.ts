import { DescribeListenersCommand, ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";

function forwardsTo(action: Action, arn: string): boolean {
  return (
    action.TargetGroupArn === arn ||
    (action.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === arn)
  );
}

/**
 * Points every listener that forwards to `from` at `to` instead: how a target group is replaced
 * under a new name without any listener going dark.
 */
export async function moveListeners(
  ctx: AwsContext,
  from: string,
  to: string,
  loadBalancerArns: string[],
): Promise<void> {
  for (const loadBalancerArn of loadBalancerArns) {
    const listeners = await tolerate(
      () => ctx.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })),
      "LoadBalancerNotFound",
    );
    for (const listener of listeners?.Listeners ?? []) {
      const actions = listener.DefaultActions ?? [];
      if (!actions.some((a) => forwardsTo(a, from))) continue;
      await ctx.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: listener.ListenerArn,
          DefaultActions: actions.map((a) =>
            forwardsTo(a, from)
              ? { Type: "forward", TargetGroupArn: to, ...(a.Order ? { Order: a.Order } : {}) }
              : a,
          ),
        }),
      );
    }
  }
}
