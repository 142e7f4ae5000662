import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsContext } from "./context.js";

/** How many of a target group's registered targets the load balancer currently sees as healthy. */
export type TargetCount = { healthy: number; total: number };

/**
 * One DescribeTargetHealth call: every registered target with its state. Targets that are
 * draining or unused count toward `total`, so "1 of 2 healthy" tells the reader something is off.
 */
export async function countHealthyTargets(ctx: AwsContext, targetGroupArn: string): Promise<TargetCount> {
  const found = await ctx.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  const targets = found.TargetHealthDescriptions ?? [];
  return {
    healthy: targets.filter((t) => t.TargetHealth?.State === "healthy").length,
    total: targets.length,
  };
}
