import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exportThenPlan, expectOnlyAdopts } from "../support/exportTrip.js";
import { applyFile, useMoto, writeEnvironment } from "../support/harness.js";
import { defaultNetwork } from "../support/network.js";
import { parity } from "../support/child.js";

const { emulator } = useMoto();
const REGION = "us-west-1";

/** `aws ec2 create-security-group` then `authorize-security-group-ingress`. */
async function securityGroup(
  ec2: EC2Client,
  vpc: string,
  name: string,
  rules: { port: number; cidr?: string; source?: string }[],
): Promise<string> {
  const made = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpc }),
  );
  const id = made.GroupId ?? "";
  for (const rule of rules) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: id,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: rule.port,
            ToPort: rule.port,
            ...(rule.cidr ? { IpRanges: [{ CidrIp: rule.cidr }] } : {}),
            ...(rule.source ? { UserIdGroupPairs: [{ GroupId: rule.source }] } : {}),
          },
        ],
      }),
    );
  }
  return id;
}

describe("parity export round-trips a hand-built account", () => {
  it("security groups: a rule's source becomes an address, and --follow brings the group it names", async () => {
    const { endpoint } = emulator();
    const ec2 = new EC2Client({ region: REGION, endpoint });
    const { vpc } = await defaultNetwork(ec2);
    const alb = await securityGroup(ec2, vpc, "shop-staging-alb-sg", [{ port: 80, cidr: "0.0.0.0/0" }]);
    await securityGroup(ec2, vpc, "shop-staging-app-sg", [
      { port: 8080, source: alb },
      { port: 22, cidr: "203.0.113.10/32" },
    ]);

    const alone = await exportThenPlan(endpoint, [
      "--environment",
      "staging",
      "--select",
      "securityGroups:shop-staging-app-sg",
    ]);
    // Without --follow the rule naming another group cannot be written: said, not dropped.
    expect(alone.text).toMatch(/# securityGroups\.shopApp: parity cannot express: ingress from sg-/);
    expect(alone.exported.stderr).toContain(
      `securityGroups.shopApp: parity cannot express: ingress from ${alb}`,
    );

    const trip = await exportThenPlan(endpoint, [
      "--environment",
      "staging",
      "--select",
      "securityGroups:shop-staging-app-sg",
      "--follow",
    ]);
    const written = parse(trip.text);
    expect(written.securityGroups.app.ingress).toEqual([
      { port: 22, cidr: "203.0.113.10/32" },
      { port: 8080, source: "securityGroups.alb" },
    ]);
    expectOnlyAdopts(trip, ["securityGroups.alb", "securityGroups.app"]);
    // The live rules are what the file says, read back with the SDK.
    const live = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [alb] }));
    expect(live.SecurityGroups?.[0]?.IpPermissions?.[0]?.IpRanges?.[0]?.CidrIp).toBe("0.0.0.0/0");
  });

  it("instances, target groups, load balancers and listeners: a whole ALB by --follow", async () => {
    const { endpoint } = emulator();
    const ec2 = new EC2Client({ region: REGION, endpoint });
    const elb = new ElasticLoadBalancingV2Client({ region: REGION, endpoint });
    const ssm = new SSMClient({ region: REGION, endpoint });
    const { vpc, subnets } = await defaultNetwork(ec2);
    const albGroup = await securityGroup(ec2, vpc, "shop-prod-alb-sg", [{ port: 80, cidr: "0.0.0.0/0" }]);
    const appGroup = await securityGroup(ec2, vpc, "shop-prod-app-sg", [{ port: 8080, source: albGroup }]);
    const image = await ssm.send(
      new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
    );
    const ids: string[] = [];
    for (const name of ["shop-prod-web", "shop-prod-web-2"]) {
      const run = await ec2.send(
        new RunInstancesCommand({
          ImageId: image.Parameter?.Value,
          InstanceType: "t3.micro",
          SecurityGroupIds: [appGroup],
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: name }] }],
        }),
      );
      ids.push(run.Instances?.[0]?.InstanceId ?? "");
    }
    const tg = await elb.send(
      new CreateTargetGroupCommand({
        Name: "shop-prod-tg",
        Port: 8080,
        Protocol: "HTTP",
        VpcId: vpc,
        HealthCheckPath: "/health",
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
      }),
    );
    const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tgArn,
        Attributes: [
          { Key: "stickiness.enabled", Value: "true" },
          { Key: "stickiness.type", Value: "lb_cookie" },
          { Key: "stickiness.lb_cookie.duration_seconds", Value: "3600" },
        ],
      }),
    );
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: ids.map((Id) => ({ Id })) }));
    const lb = await elb.send(
      new CreateLoadBalancerCommand({ Name: "shop-prod-alb", Subnets: subnets, SecurityGroups: [albGroup] }),
    );
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
      }),
    );

    const trip = await exportThenPlan(endpoint, [
      "--environment",
      "prod",
      "--select",
      "loadBalancers:shop-prod-alb",
      "--follow",
    ]);
    const written = parse(trip.text);
    expect(written.loadBalancers.alb.listeners).toEqual([
      { port: 80, protocol: "HTTP", forward: "targetGroups.tg" },
    ]);
    expect(written.targetGroups.tg).toMatchObject({
      targets: "instances.web",
      stickiness: { type: "lb_cookie", durationSeconds: 3600 },
    });
    expect(written.instances.web).toMatchObject({
      count: 2,
      names: ["shop-prod-web", "shop-prod-web-2"],
      adopt: ids,
      securityGroups: ["securityGroups.app"],
    });
    expectOnlyAdopts(trip, [
      "securityGroups.alb",
      "securityGroups.app",
      "instances.web[0]",
      "instances.web[1]",
      "targetGroups.tg",
      "loadBalancers.alb",
      "loadBalancers.alb.listeners[80]",
    ]);
  });

  it("app settings: a SecureString becomes fromEnv, and its value is in no output", async () => {
    const { endpoint } = emulator();
    const ssm = new SSMClient({ region: REGION, endpoint });
    const secret = "postgres://shop:Very-Secret-9@db:5432/shop";
    await ssm.send(
      new PutParameterCommand({ Name: "/shop/staging/DATABASE_URL", Type: "SecureString", Value: secret }),
    );
    await ssm.send(
      new PutParameterCommand({ Name: "/shop/staging/LOG_LEVEL", Type: "String", Value: "info" }),
    );

    const trip = await exportThenPlan(
      endpoint,
      ["--environment", "staging", "--select", "appEnv:/shop/staging/*"],
      { STAGING_DATABASE_URL: secret },
    );
    expect(parse(trip.text).appEnv).toEqual({
      path: "/shop/staging/",
      values: { DATABASE_URL: { secret: true, fromEnv: "STAGING_DATABASE_URL" }, LOG_LEVEL: "info" },
    });
    expect(trip.exported.stderr).toContain(
      "Set these variables before planning the file: STAGING_DATABASE_URL",
    );
    for (const text of [trip.text, trip.exported.stdout, trip.exported.stderr, trip.planned.stdout])
      expect(text).not.toContain("Very-Secret-9");
    expectOnlyAdopts(trip, ["appEnv.values.DATABASE_URL", "appEnv.values.LOG_LEVEL"]);
  });

  it("a managed environment exports by its ownership tags and re-plans to No changes", async () => {
    const { endpoint } = emulator();
    const file = writeEnvironment(`
environment: trial
project: shop
region: us-west-1
securityGroups:
  alb: { name: shop-trial-alb-sg, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }
  app: { name: shop-trial-app-sg, ingress: [{ port: 8080, source: securityGroups.alb }] }
targetGroups:
  web: { name: shop-trial-tg, port: 8080, healthCheck: { path: /health } }
buckets:
  site: { name: shop-trial-site, website: { indexDocument: index.html } }
`);
    await applyFile(file, endpoint);
    const trip = await exportThenPlan(endpoint, ["--environment", "trial", "--project", "shop"]);
    const written = parse(trip.text);
    expect(Object.keys(written.securityGroups)).toEqual(["alb", "app"]);
    expect(written.targetGroups.web.name).toBe("shop-trial-tg");
    expect(trip.plan.changes.filter((c) => c.action !== "no-op")).toEqual([]);
    const text = await parity(["plan", trip.file], { endpoint });
    expect(text.stdout).toContain("No changes.");
  });
});
