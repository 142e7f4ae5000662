import {
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { runChecks } from "../../src/checks/index.js";
import type { Check } from "../../src/checks/index.js";
import { AwsContext } from "../../src/providers/aws/index.js";
import { countHealthyTargets } from "../../src/providers/aws/targetHealth.js";
import { steppingClock } from "../support/clocks.js";
import { useMoto } from "../support/harness.js";

const { emulator } = useMoto();

const env = { environment: "checktest", region: "us-west-1", tags: {}, secrets: {} };

describe("targetHealth checks against moto", () => {
  it("counts healthy targets of a target group and passes or fails on minHealthy", async () => {
    const endpoint = emulator().endpoint;
    const ec2 = new EC2Client({ region: "us-west-1", endpoint });
    const elbv2 = new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
    const vpc = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId;
    const made = await elbv2.send(
      new CreateTargetGroupCommand({
        Name: "checktest-web",
        Protocol: "HTTP",
        Port: 8080,
        VpcId: vpc,
        TargetType: "instance",
      }),
    );
    const arn = made.TargetGroups?.[0]?.TargetGroupArn as string;
    await elbv2.send(
      new RegisterTargetsCommand({
        TargetGroupArn: arn,
        Targets: [{ Id: "i-0123456789abcdef0" }, { Id: "i-0123456789abcdef1" }],
      }),
    );

    const ctx = new AwsContext({ region: "us-west-1", endpoint }, env);
    try {
      expect(await countHealthyTargets(ctx, arn)).toEqual({ healthy: 2, total: 2 });
      const checks: Check[] = [
        {
          name: "two healthy",
          spec: { name: "two healthy", targetHealth: { targetGroup: "targetGroups.web", minHealthy: 2 } },
        },
        {
          name: "three healthy",
          spec: {
            name: "three healthy",
            targetHealth: { targetGroup: "targetGroups.web", minHealthy: 3, deadlineSeconds: 1 },
          },
        },
      ];
      // Time moves only with the runner's pauses, so a slow read cannot change the outcome.
      const deps = {
        clock: steppingClock(),
        intervalMs: 200,
        resolveTargetGroupArn: (ref: string) => (ref === "targetGroups.web" ? arn : undefined),
        countHealthy: (targetGroupArn: string) => countHealthyTargets(ctx, targetGroupArn),
      };
      const [two, three] = await runChecks(checks, deps);
      expect(two).toMatchObject({ ok: true, attempts: 1, detail: "2 of 2 targets healthy" });
      expect(three).toMatchObject({
        ok: false,
        attempts: 1,
        detail: "2 of 2 targets healthy (need 3) (too close to the deadline of 1 s to try again)",
      });

      await elbv2.send(
        new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: "i-0123456789abcdef1" }] }),
      );
      const [after] = await runChecks(
        [
          {
            name: "after",
            spec: {
              name: "after",
              targetHealth: { targetGroup: "targetGroups.web", minHealthy: 2, deadlineSeconds: 1 },
            },
          },
        ],
        deps,
      );
      expect(after).toMatchObject({
        ok: false,
        detail: "1 of 1 target healthy (need 2) (too close to the deadline of 1 s to try again)",
      });
    } finally {
      ctx.destroy();
    }
  });
});
