import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-elasticache";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { PRODUCTION_CACHE_ID, seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";
import { applySession } from "../../src/cli/workflow.js";
import { actions, applyFile, planFile, useMoto } from "../support/harness.js";
import { editFile, stageExample } from "../support/stage.js";

const { emulator } = useMoto();
const REGION = "us-west-1";

function clients(endpoint: string) {
  return {
    ec2: new EC2Client({ region: REGION, endpoint }),
    elb: new ElasticLoadBalancingV2Client({ region: REGION, endpoint }),
    elasticache: new ElastiCacheClient({ region: REGION, endpoint }),
    ssm: new SSMClient({ region: REGION, endpoint }),
  };
}

async function cacheTags(
  elasticache: ElastiCacheClient,
  arn: string | undefined,
): Promise<Record<string, string>> {
  const found = await elasticache.send(new ListTagsForResourceCommand({ ResourceName: arn }));
  return Object.fromEntries((found.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/** Staging's live instances (all launched with its key); production's two share the account. */
async function liveInstances(ec2: EC2Client): Promise<string[]> {
  const found = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [{ Name: "instance-state-name", Values: ["pending", "running"] }],
    }),
  );
  return (found.Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .filter((i) => i.KeyName === "chatmrpt-staging-key")
    .map((i) => i.InstanceId ?? "");
}

async function targetGroup(elb: ElasticLoadBalancingV2Client) {
  const groups = await elb.send(new DescribeTargetGroupsCommand({ Names: ["chatmrpt-staging-tg"] }));
  return groups.TargetGroups?.[0];
}

async function registered(elb: ElasticLoadBalancingV2Client): Promise<string[]> {
  const tg = await targetGroup(elb);
  const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn }));
  return (health.TargetHealthDescriptions ?? []).map((t) => t.Target?.Id ?? "").sort();
}

describe("the chatmrpt migration, end to end", () => {
  it("adopts the hand-made instance, adds one from its AMI, wires the ALB, and scales back in", async () => {
    const endpoint = emulator().endpoint;
    const { ec2, elb, elasticache, ssm } = clients(endpoint);
    const ids = await seedChatmrpt(endpoint, REGION);
    const original = Object.values(ids)[0] as string;
    const file = stageExample("chatmrpt", "staging.yaml", ids);

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual(
      expect.arrayContaining([
        "adopt securityGroups.app",
        "create securityGroups.alb",
        "adopt instances.web[0]",
        "create instances.web[1]",
        "create targetGroups.web",
        "create loadBalancers.web",
        "create loadBalancers.web.listeners[80]",
        "create securityGroups.cache",
        "create caches.sessions",
        "create appEnv.values.REDIS_URL",
      ]),
    );
    first.ctx.destroy();

    await applyFile(file, endpoint);

    // Two instances, both registered: the original and one launched from an AMI of it.
    const running = await liveInstances(ec2);
    expect(running).toHaveLength(2);
    expect(running).toContain(original);
    expect(await registered(elb)).toEqual([...running].sort());

    const tg = await targetGroup(elb);
    expect(tg).toMatchObject({ Port: 8080, HealthCheckPath: "/health", HealthCheckIntervalSeconds: 30 });
    const tgAttributes = await elb.send(
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg?.TargetGroupArn }),
    );
    const tgAttr = Object.fromEntries((tgAttributes.Attributes ?? []).map((a) => [a.Key, a.Value]));
    expect(tgAttr).toMatchObject({
      "stickiness.enabled": "true",
      "stickiness.type": "lb_cookie",
      "stickiness.lb_cookie.duration_seconds": "86400",
    });

    const lbs = await elb.send(new DescribeLoadBalancersCommand({ Names: ["chatmrpt-staging-alb"] }));
    expect(lbs.LoadBalancers).toHaveLength(1);
    const lb = lbs.LoadBalancers?.[0];
    expect(lb?.AvailabilityZones).toHaveLength(2);
    const lbAttributes = await elb.send(
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb?.LoadBalancerArn }),
    );
    const lbAttr = Object.fromEntries((lbAttributes.Attributes ?? []).map((a) => [a.Key, a.Value]));
    expect(lbAttr).toMatchObject({
      "idle_timeout.timeout_seconds": "60",
      "load_balancing.cross_zone.enabled": "true",
    });
    const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
    expect(
      listeners.Listeners?.map((l) => [l.Port, l.Protocol, l.DefaultActions?.[0]?.TargetGroupArn]),
    ).toEqual([[80, "HTTP", tg?.TargetGroupArn]]);

    // 8080 only from the ALB's group, 22 only from the office.
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupNames: ["chatmrpt-staging-sg", "chatmrpt-staging-alb-sg"] }),
    );
    const app = groups.SecurityGroups?.find((g) => g.GroupName === "chatmrpt-staging-sg");
    const alb = groups.SecurityGroups?.find((g) => g.GroupName === "chatmrpt-staging-alb-sg");
    const rules = (app?.IpPermissions ?? []).flatMap((p) => [
      ...(p.IpRanges ?? []).map((r) => `${p.FromPort} ${r.CidrIp}`),
      ...(p.UserIdGroupPairs ?? []).map((g) => `${p.FromPort} ${g.GroupId}`),
    ]);
    expect(rules.sort()).toEqual([`22 203.0.113.10/32`, `8080 ${alb?.GroupId}`].sort());
    // The ALB's group sends only 8080, only to the instances' group.
    const out = (alb?.IpPermissionsEgress ?? []).flatMap((p) => [
      ...(p.IpRanges ?? []).map((r) => `${p.IpProtocol} ${p.FromPort} ${r.CidrIp}`),
      ...(p.UserIdGroupPairs ?? []).map((g) => `${p.IpProtocol} ${p.FromPort} ${g.GroupId}`),
    ]);
    expect(out).toEqual([`tcp 8080 ${app?.GroupId}`]);

    // Staging has its own Redis, and the app's REDIS_URL names it; production's is left as it was.
    const caches = await elasticache.send(new DescribeReplicationGroupsCommand({}));
    const byId = new Map((caches.ReplicationGroups ?? []).map((g) => [g.ReplicationGroupId, g]));
    const staging = byId.get("chatmrpt-redis-staging");
    expect(staging).toMatchObject({
      Status: "available",
      CacheNodeType: "cache.t3.micro",
      AtRestEncryptionEnabled: true,
    });
    expect(staging?.NodeGroups?.[0]?.NodeGroupMembers).toHaveLength(2);
    expect(await cacheTags(elasticache, staging?.ARN)).toMatchObject({
      "parity:environment": "staging",
      "parity:address": "caches.sessions",
    });
    const production = byId.get(PRODUCTION_CACHE_ID);
    expect(await cacheTags(elasticache, production?.ARN)).toEqual({});
    const primary = staging?.NodeGroups?.[0]?.PrimaryEndpoint;
    const url = await ssm.send(new GetParameterCommand({ Name: "/chatmrpt/staging/REDIS_URL" }));
    expect(url.Parameter?.Value).toBe(`redis://${primary?.Address}:${primary?.Port}`);
    expect(url.Parameter?.Value).not.toContain(`.${PRODUCTION_CACHE_ID}.`);

    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // Scale to one: the newest member is deregistered, then terminated; with only the adopted
    // instance left, no member launches from the AMI any more, so it goes too.
    editFile(file, (text) => text.replace("count: 2", "count: 1"));
    const scaleIn = await planFile(file, endpoint);
    expect(actions(scaleIn.plan)).toEqual([
      "update targetGroups.web",
      "delete instances.web[1]",
      "delete instances.web.image",
    ]);
    scaleIn.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await liveInstances(ec2)).toEqual([original]);
    expect(await registered(elb)).toEqual([original]);
    const settled = await planFile(file, endpoint);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();
  });

  it("is idempotent, and converges after an apply interrupted halfway", async () => {
    const endpoint = emulator().endpoint;
    const { ec2, elb } = clients(endpoint);
    const ids = await seedChatmrpt(endpoint, REGION);
    const file = stageExample("chatmrpt", "staging.yaml", ids);

    // Stop starting new work after the first two operations finish, as a Ctrl-C would.
    const session = await planFile(file, endpoint);
    const stop = new AbortController();
    let finished = 0;
    const partial = await applySession(session, {
      concurrency: 1,
      stop: stop.signal,
      events: (event) => {
        if (event.type === "done" && ++finished === 2) stop.abort();
      },
    });
    session.ctx.destroy();
    expect(partial.done).toHaveLength(2);
    expect(partial.notStarted.length).toBeGreaterThan(0);

    await applyFile(file, endpoint);
    await applyFile(file, endpoint);
    expect(await liveInstances(ec2)).toHaveLength(2);
    const lbs = await elb.send(new DescribeLoadBalancersCommand({}));
    // One staging ALB however the apply was cut; production's, in the same account, untouched.
    const names = (lbs.LoadBalancers ?? []).map((l) => l.LoadBalancerName ?? "").sort();
    expect(names).toEqual(["chatmrpt-production-alb", "chatmrpt-staging-alb"]);
    const last = await planFile(file, endpoint);
    expect(actions(last.plan)).toEqual([]);
    last.ctx.destroy();
  });
});
