import {
  CreateReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startFaultProxy } from "../support/faultProxy.js";
import { actions, applyFile, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const PASSWORD = "not-a-real-password-1";
const secrets = { ...process.env, UNUSED_PASSWORD: PASSWORD };

const HEAD = `
environment: unused
region: us-west-1
securityGroups:
  app: { name: unused-app, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }
`;

const KINDS = `
caches:
  sessions:
    id: unused-sessions
    nodeType: cache.t3.micro
    engineVersion: "7.1"
    securityGroups: [securityGroups.app]
databases:
  main:
    identifier: unused-main
    engine: postgres
    engineVersion: "16.3"
    class: db.t3.micro
    allocatedStorageGb: 20
    securityGroups: [securityGroups.app]
    deletionProtection: false
    masterUsername: app
    masterPassword: { fromEnv: UNUSED_PASSWORD }
targetGroups:
  web: { name: unused-web, port: 8080 }
loadBalancers:
  web:
    name: unused-alb
    securityGroups: [securityGroups.app]
    listeners:
      - { port: 80, protocol: HTTP, forward: targetGroups.web }
`;

/** The services whose listings a file without caches, databases or load balancers needs none of. */
const UNUSED_SERVICES = ["elasticache", "rds", "elasticloadbalancing"];

async function recordedPlan(file: string, endpoint: string) {
  const proxy = await startFaultProxy({ target: endpoint });
  try {
    const session = await planFile(file, proxy.endpoint, secrets);
    session.ctx.destroy();
    const unused = proxy.calls
      .filter((c) => UNUSED_SERVICES.includes(c.service))
      .map((c) => `${c.service}:${c.operation}`)
      .sort();
    return { actions: actions(session.plan), unused };
  } finally {
    await proxy.stop();
  }
}

/** Someone else's cache, database, load balancer and target group, made by hand with the SDK. */
async function crowd(endpoint: string): Promise<void> {
  const ec2 = new EC2Client({ region: "us-west-1", endpoint });
  const elbv2 = new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
  );
  const vpcs = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
  );
  await Promise.all([
    new ElastiCacheClient({ region: "us-west-1", endpoint }).send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "someone-cache",
        ReplicationGroupDescription: "not ours",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    ),
    new RDSClient({ region: "us-west-1", endpoint }).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "someone-db",
        Engine: "postgres",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 20,
        MasterUsername: "admin",
        MasterUserPassword: PASSWORD,
      }),
    ),
    elbv2.send(
      new CreateLoadBalancerCommand({
        Name: "someone-alb",
        Subnets: (subnets.Subnets ?? []).map((s) => s.SubnetId ?? ""),
      }),
    ),
    elbv2.send(
      new CreateTargetGroupCommand({
        Name: "someone-tg",
        Protocol: "HTTP",
        Port: 80,
        VpcId: vpcs.Vpcs?.[0]?.VpcId,
        // Another environment's: the tagging API lists it under its own name, never under ours.
        Tags: [
          { Key: "parity:environment", Value: "someone" },
          { Key: "parity:region", Value: "us-west-1" },
          { Key: "parity:address", Value: "targetGroups.web" },
        ],
      }),
    ),
  ]);
}

describe("kinds a file does not use", () => {
  it("cost none of their calls when nothing of them is ours, however many others the account holds", async () => {
    const endpoint = emulator().endpoint;
    await crowd(endpoint);
    const file = writeEnvironment(HEAD);
    const plan = await recordedPlan(file, endpoint);
    expect(plan.actions).toEqual(["create securityGroups.app"]);
    expect(plan.unused).toEqual([]);

    await applyFile(file, endpoint, secrets);
    expect((await recordedPlan(file, endpoint)).unused).toEqual([]);
    // Someone else's resources are where they were.
    const groups = await new ElastiCacheClient({ region: "us-west-1", endpoint }).send(
      new DescribeReplicationGroupsCommand({}),
    );
    expect(groups.ReplicationGroups?.map((g) => g.ReplicationGroupId)).toEqual(["someone-cache"]);
  });

  it("are still listed, and their deletion planned, when a resource of ours was dropped from the file", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(`${HEAD}${KINDS}`);
    await applyFile(file, endpoint, secrets);
    writeFileSync(file, HEAD);

    const plan = await recordedPlan(file, endpoint);
    expect(plan.actions.sort()).toEqual([
      "delete caches.sessions",
      "delete databases.main",
      "delete loadBalancers.web",
      "delete loadBalancers.web.listeners[80]",
      "delete targetGroups.web",
    ]);
    expect(plan.unused).toEqual(
      expect.arrayContaining([
        "elasticache:DescribeReplicationGroups",
        "rds:DescribeDBInstances",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetGroups",
      ]),
    );
    // A plan deletes nothing: every one of them is still live.
    const [caches, databases, loadBalancers] = await Promise.all([
      new ElastiCacheClient({ region: "us-west-1", endpoint }).send(
        new DescribeReplicationGroupsCommand({ ReplicationGroupId: "unused-sessions" }),
      ),
      new RDSClient({ region: "us-west-1", endpoint }).send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: "unused-main" }),
      ),
      new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint }).send(
        new DescribeLoadBalancersCommand({ Names: ["unused-alb"] }),
      ),
    ]);
    expect(caches.ReplicationGroups?.map((g) => g.ReplicationGroupId)).toEqual(["unused-sessions"]);
    expect(databases.DBInstances?.map((db) => db.DBInstanceIdentifier)).toEqual(["unused-main"]);
    expect(loadBalancers.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(["unused-alb"]);
  });
});
