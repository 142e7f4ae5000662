import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { IpPermission } from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateReplicationGroupCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/index.js";
import { seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";
import { actions, applyFile, livePlan, useMoto } from "../support/harness.js";
import { editFile, stageExample } from "../support/stage.js";

const { emulator } = useMoto();
const REGION = "us-west-1";
const IMAGE_NAME = "chatmrpt-staging-base-20261120";

type Built = {
  original: string;
  second: string;
  groups: { alb: string; app: string; cache: string };
  targetGroup: string;
  loadBalancer: string;
};

const world = (port: number): IpPermission => ({
  IpProtocol: "tcp",
  FromPort: port,
  ToPort: port,
  IpRanges: [{ CidrIp: "0.0.0.0/0" }],
});
const fromGroup = (port: number, group: string): IpPermission => ({
  IpProtocol: "tcp",
  FromPort: port,
  ToPort: port,
  UserIdGroupPairs: [{ GroupId: group }],
});

/**
 * The runbook's "make staging match production" done with the `aws` CLI, one SDK call per
 * command, on top of the before-state: a snapshot and an AMI of the instance, a second instance
 * from it, the ALB and its group, the app group closed down, staging's own Redis and REDIS_URL.
 */
async function migrateByHand(endpoint: string, original: string): Promise<Built> {
  const at = { region: REGION, endpoint };
  const ec2 = new EC2Client(at);
  const elb = new ElasticLoadBalancingV2Client(at);
  const elasticache = new ElastiCacheClient(at);
  const ssm = new SSMClient(at);
  try {
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [original] }));
    const instance = described.Reservations?.[0]?.Instances?.[0];
    const app = instance?.SecurityGroups?.[0]?.GroupId ?? "";
    const vpc = instance?.VpcId ?? "";
    const volume = instance?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId ?? "";
    // aws ec2 create-snapshot --volume-id … ; aws ec2 create-image --instance-id … --name …
    await ec2.send(
      new CreateSnapshotCommand({ VolumeId: volume, Description: "before staging = production" }),
    );
    const image = await ec2.send(new CreateImageCommand({ InstanceId: original, Name: IMAGE_NAME }));

    // aws ec2 create-security-group --group-name chatmrpt-staging-alb-sg …; authorize 80 and 443
    const alb =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: "chatmrpt-staging-alb-sg",
            Description: "chatmrpt staging load balancer",
            VpcId: vpc,
          }),
        )
      ).GroupId ?? "";
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: alb, IpPermissions: [world(80)] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: alb, IpPermissions: [world(443)] }));
    // The instances' group: 8080 only from the ALB, 22 only from the office.
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [world(22)] }));
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [world(8080)] }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [fromGroup(8080, alb)] }),
    );
    // The ALB sends only to the instances, on 8080: aws ec2 revoke-security-group-egress (the
    // all-outbound default), then authorize-security-group-egress.
    await ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId: alb,
        IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({ GroupId: alb, IpPermissions: [fromGroup(8080, app)] }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "203.0.113.10/32" }] },
        ],
      }),
    );
    const cache =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: "chatmrpt-staging-cache-sg",
            Description: "chatmrpt staging Redis",
            VpcId: vpc,
          }),
        )
      ).GroupId ?? "";
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: cache, IpPermissions: [fromGroup(6379, app)] }),
    );

    // aws ec2 run-instances --image-id <the AMI> … --tag-specifications …Name=chatmrpt-staging-2
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }),
    );
    const subnetIds = (subnets.Subnets ?? []).map((s) => s.SubnetId ?? "").sort();
    const other = subnetIds.find((s) => s !== instance?.SubnetId) ?? subnetIds[0];
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image.ImageId,
        InstanceType: "t3.micro",
        KeyName: "chatmrpt-staging-key",
        SecurityGroupIds: [app],
        SubnetId: other,
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "Name", Value: "chatmrpt-staging-2" }] },
        ],
      }),
    );
    const second = run.Instances?.[0]?.InstanceId ?? "";

    // aws elbv2 create-target-group …; modify-target-group-attributes (stickiness); register-targets
    const tg = await elb.send(
      new CreateTargetGroupCommand({
        Name: "chatmrpt-staging-tg",
        Protocol: "HTTP",
        Port: 8080,
        VpcId: vpc,
        HealthCheckPath: "/health",
        HealthCheckIntervalSeconds: 30,
      }),
    );
    const targetGroup = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: targetGroup,
        Attributes: [
          { Key: "stickiness.enabled", Value: "true" },
          { Key: "stickiness.type", Value: "lb_cookie" },
          { Key: "stickiness.lb_cookie.duration_seconds", Value: "86400" },
        ],
      }),
    );
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: targetGroup,
        Targets: [{ Id: original }, { Id: second }],
      }),
    );
    // aws elbv2 create-load-balancer …; modify-load-balancer-attributes; create-listener --port 80
    const lb = await elb.send(
      new CreateLoadBalancerCommand({
        Name: "chatmrpt-staging-alb",
        Subnets: subnetIds,
        SecurityGroups: [alb],
        Type: "application",
      }),
    );
    const loadBalancer = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: loadBalancer,
        Attributes: [
          { Key: "idle_timeout.timeout_seconds", Value: "60" },
          { Key: "load_balancing.cross_zone.enabled", Value: "true" },
        ],
      }),
    );
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancer,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroup }],
      }),
    );

    // aws elasticache create-replication-group --replication-group-id chatmrpt-redis-staging …
    const redis = await elasticache.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "chatmrpt-redis-staging",
        ReplicationGroupDescription: "chatmrpt staging sessions",
        Engine: "redis",
        EngineVersion: "7.1",
        CacheNodeType: "cache.t3.micro",
        ReplicasPerNodeGroup: 1,
        SecurityGroupIds: [cache],
        AtRestEncryptionEnabled: true,
      }),
    );
    const primary = redis.ReplicationGroup?.NodeGroups?.[0]?.PrimaryEndpoint;
    // aws ssm put-parameter --name /chatmrpt/staging/REDIS_URL --value redis://…:6379
    await ssm.send(
      new PutParameterCommand({
        Name: "/chatmrpt/staging/REDIS_URL",
        Value: `redis://${primary?.Address ?? ""}:${primary?.Port ?? 6379}`,
        Type: "String",
      }),
    );
    return { original, second, groups: { alb, app, cache }, targetGroup, loadBalancer };
  } finally {
    for (const client of [ec2, elb, elasticache, ssm]) client.destroy();
  }
}

/** The example's file, told what was built by hand: both members adopted (so no AMI is needed), the AMI named. */
function describeAfterState(ids: Record<string, string>, built: Built): string {
  const file = stageExample("chatmrpt", "staging.yaml", ids);
  editFile(file, (text) =>
    text
      // The team did not tag what it built by hand; the file says so by asking for no tags.
      .replace("tags: { project: chatmrpt }\n", "")
      .replace(
        `image: { fromInstance: ${built.original} }`,
        `image: { fromInstance: ${built.original}, adoptImage: ${IMAGE_NAME} }\n    names: [chatmrpt-staging, chatmrpt-staging-2]`,
      )
      .replace(`adopt: [${built.original}]`, `adopt: [${built.original}, ${built.second}]`),
  );
  return file;
}

/** Every change as `action address [changed paths]`, for one exact assertion. */
function summary(plan: Plan): string[] {
  return plan.changes
    .filter((c) => c.action !== "no-op")
    .map((c) => `${c.action} ${c.address} [${c.attributes.map((a) => a.path).join(", ")}]`);
}

describe("the chatmrpt migration done by hand", () => {
  it("plans adopt-only with no attribute changes, applies, re-plans clean, and shows each hand change as one update", async () => {
    const endpoint = emulator().endpoint;
    const ids = await seedChatmrpt(endpoint, REGION);
    const original = Object.values(ids)[0] ?? "";
    const built = await migrateByHand(endpoint, original);
    const file = describeAfterState(ids, built);

    const first = await livePlan(file, endpoint);
    expect(actions(first).sort()).toEqual([
      "adopt appEnv.values.REDIS_URL",
      "adopt caches.sessions",
      "adopt instances.web[0]",
      "adopt instances.web[1]",
      "adopt loadBalancers.web",
      "adopt loadBalancers.web.listeners[80]",
      "adopt securityGroups.alb",
      "adopt securityGroups.app",
      "adopt securityGroups.cache",
      "adopt targetGroups.web",
    ]);
    expect(summary(first).filter((line) => !line.startsWith("adopt ") || !line.endsWith("[]"))).toEqual([]);
    expect(first.summary).toMatchObject({ add: 0, change: 0, destroy: 0, replace: 0 });
    await applyFile(file, endpoint);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);

    const ec2 = new EC2Client({ region: REGION, endpoint });
    const elb = new ElasticLoadBalancingV2Client({ region: REGION, endpoint });
    const ssm = new SSMClient({ region: REGION, endpoint });
    const drifts: [string, () => Promise<unknown>, string][] = [
      [
        "aws ec2 authorize-security-group-ingress --port 8443 (the ALB's group)",
        () =>
          ec2.send(
            new AuthorizeSecurityGroupIngressCommand({
              GroupId: built.groups.alb,
              IpPermissions: [world(8443)],
            }),
          ),
        "update securityGroups.alb [ingress]",
      ],
      [
        "aws ec2 modify-instance-attribute --groups (the second member)",
        () =>
          ec2.send(
            new ModifyInstanceAttributeCommand({
              InstanceId: built.second,
              Groups: [built.groups.app, built.groups.alb],
            }),
          ),
        "update instances.web[1] [securityGroups]",
      ],
      [
        "aws elbv2 modify-target-group --health-check-interval-seconds 10",
        () =>
          elb.send(
            new ModifyTargetGroupCommand({
              TargetGroupArn: built.targetGroup,
              HealthCheckIntervalSeconds: 10,
            }),
          ),
        "update targetGroups.web [healthCheck.intervalSeconds]",
      ],
      [
        "aws elbv2 modify-target-group-attributes stickiness.lb_cookie.duration_seconds=3600",
        () =>
          elb.send(
            new ModifyTargetGroupAttributesCommand({
              TargetGroupArn: built.targetGroup,
              Attributes: [{ Key: "stickiness.lb_cookie.duration_seconds", Value: "3600" }],
            }),
          ),
        "update targetGroups.web [stickiness.durationSeconds]",
      ],
      [
        "aws elbv2 modify-load-balancer-attributes idle_timeout.timeout_seconds=120",
        () =>
          elb.send(
            new ModifyLoadBalancerAttributesCommand({
              LoadBalancerArn: built.loadBalancer,
              Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "120" }],
            }),
          ),
        "update loadBalancers.web [idleTimeoutSeconds]",
      ],
      [
        "aws ssm put-parameter --name /chatmrpt/staging/REDIS_URL --overwrite",
        () =>
          ssm.send(
            new PutParameterCommand({
              Name: "/chatmrpt/staging/REDIS_URL",
              Value: "redis://chatmrpt-redis.example:6379",
              Type: "String",
              Overwrite: true,
            }),
          ),
        "update appEnv.values.REDIS_URL [value]",
      ],
    ];
    try {
      for (const [command, change, expected] of drifts) {
        await change();
        expect(summary(await livePlan(file, endpoint)), command).toEqual([expected]);
        await applyFile(file, endpoint);
        expect(actions(await livePlan(file, endpoint)), command).toEqual([]);
      }
    } finally {
      for (const client of [ec2, elb, ssm]) client.destroy();
    }
  });
});
