/**
 * chatmrpt production's web tier, as it was built by hand: two instances behind an ALB with sticky
 * sessions, the ALB's group open to the world and the instances' group open only to the ALB and the
 * office, and the app's REDIS_URL in Parameter Store. Staging is promoted to this shape.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  DescribeSubnetsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { SSMClient } from "@aws-sdk/client-ssm";

/** The instance ids written in examples/chatmrpt/production.yaml. */
export const EXAMPLE_PRODUCTION_INSTANCES = ["i-0feed00000000000a1", "i-0feed00000000000a2"];

type Clients = { ec2: EC2Client; ssm: SSMClient; elasticache: ElastiCacheClient; config: object };

export async function seedChatmrptProduction(
  { ec2, ssm, elasticache, config }: Clients,
  vpcId: string,
  imageId: string,
  cacheId: string,
): Promise<Record<string, string>> {
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  try {
    const world = (port: number) => ({
      IpProtocol: "tcp",
      FromPort: port,
      ToPort: port,
      IpRanges: [{ CidrIp: "0.0.0.0/0" }],
    });
    const albGroup =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: "chatmrpt-production-alb-sg",
            Description: "chatmrpt production load balancer",
            VpcId: vpcId,
          }),
        )
      ).GroupId ?? "";
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: albGroup, IpPermissions: [world(80), world(443)] }),
    );
    const appGroup =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: "chatmrpt-production-sg",
            Description: "chatmrpt production",
            VpcId: vpcId,
          }),
        )
      ).GroupId ?? "";
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: appGroup,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: albGroup }] },
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "203.0.113.10/32" }] },
        ],
      }),
    );
    await ec2.send(new CreateKeyPairCommand({ KeyName: "chatmrpt-production-key" }));
    const instances: string[] = [];
    for (const name of ["chatmrpt-production", "chatmrpt-production-2"]) {
      const run = await ec2.send(
        new RunInstancesCommand({
          ImageId: imageId,
          InstanceType: "t3.micro",
          KeyName: "chatmrpt-production-key",
          SecurityGroupIds: [appGroup],
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: name }] }],
        }),
      );
      instances.push(run.Instances?.[0]?.InstanceId ?? "");
    }

    const targetGroup = await elbv2.send(
      new CreateTargetGroupCommand({
        Name: "chatmrpt-production-tg",
        Protocol: "HTTP",
        Port: 8080,
        VpcId: vpcId,
        HealthCheckPath: "/health",
        HealthCheckIntervalSeconds: 30,
      }),
    );
    const targetGroupArn = targetGroup.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: targetGroupArn,
        Attributes: [
          { Key: "stickiness.enabled", Value: "true" },
          { Key: "stickiness.type", Value: "lb_cookie" },
          { Key: "stickiness.lb_cookie.duration_seconds", Value: "86400" },
        ],
      }),
    );
    await elbv2.send(
      new RegisterTargetsCommand({
        TargetGroupArn: targetGroupArn,
        Targets: instances.map((Id) => ({ Id })),
      }),
    );
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }),
    );
    const loadBalancer = await elbv2.send(
      new CreateLoadBalancerCommand({
        Name: "chatmrpt-production-alb",
        Subnets: (subnets.Subnets ?? []).map((s) => s.SubnetId ?? "").slice(0, 2),
        SecurityGroups: [albGroup],
        Scheme: "internet-facing",
        Type: "application",
      }),
    );
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancer.LoadBalancers?.[0]?.LoadBalancerArn ?? "",
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
      }),
    );

    const cache = await elasticache.send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: cacheId }),
    );
    const primary = cache.ReplicationGroups?.[0]?.NodeGroups?.[0]?.PrimaryEndpoint;
    await ssm.send(
      new PutParameterCommand({
        Name: "/chatmrpt/production/REDIS_URL",
        Type: "String",
        Value: `redis://${primary?.Address ?? ""}:${primary?.Port ?? 6379}`,
      }),
    );
    return Object.fromEntries(
      EXAMPLE_PRODUCTION_INSTANCES.map((example, i) => [example, instances[i] ?? ""]),
    );
  } finally {
    elbv2.destroy();
  }
}
