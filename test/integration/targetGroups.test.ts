import {
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySession } from "../../src/cli/workflow.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { ApplyEvent, Operation } from "../../src/engine/types.js";
import type { PlanSession } from "../../src/cli/workflow.js";
import { targetGroupType } from "../../src/providers/aws/targetGroups/index.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FILE = `
environment: tgtest
region: us-west-1
tags: { project: parity-test }
targetGroups:
  web:
    name: tgtest-web
    port: 8080
    healthCheck: { path: /health, intervalSeconds: 30, matcher: "200-299" }
    stickiness: { type: lb_cookie, durationSeconds: 86400 }
    deregistrationDelaySeconds: 30
`;

function elbv2(endpoint: string): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
}

async function groupByName(endpoint: string, name: string) {
  try {
    const found = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({ Names: [name] }));
    return found.TargetGroups?.[0];
  } catch {
    return undefined;
  }
}

async function attributesOf(endpoint: string, arn: string): Promise<Record<string, string>> {
  const found = await elbv2(endpoint).send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
  return Object.fromEntries((found.Attributes ?? []).map((a) => [a.Key ?? "", a.Value ?? ""]));
}

/** The operation apply would hand to a type's create, for calling it directly. */
function createOperation(session: PlanSession, address: string): Operation {
  const planned = session.plan.changes.find((c) => c.address === address);
  const node = session.environment.nodes.find((n) => n.address === address);
  const desired = session.desired.get(address);
  if (!planned || !node || !desired) throw new Error(`nothing planned for ${address}`);
  return {
    change: planned,
    node,
    desired: desired.attributes,
    env: session.info,
    facts: session.facts,
    resolver: makeResolver(new Map(), session.facts, session.info),
    progress: () => {},
    signal: new AbortController().signal,
  };
}

describe("targetGroups against moto", () => {
  it("creates, re-plans clean, reverts an out-of-band health-check change, and deletes", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual(["create targetGroups.web"]);
    expect(change(first.plan, "targetGroups.web").after).toMatchObject({
      protocol: "HTTP",
      healthCheck: { path: "/health", intervalSeconds: 30, matcher: "200-299" },
      stickiness: { enabled: true, type: "lb_cookie", durationSeconds: 86400 },
    });
    first.ctx.destroy();
    await applyFile(file, endpoint);

    const made = await groupByName(endpoint, "tgtest-web");
    expect(made).toMatchObject({
      Port: 8080,
      Protocol: "HTTP",
      HealthCheckPath: "/health",
      Matcher: { HttpCode: "200-299" },
    });
    const attributes = await attributesOf(endpoint, made?.TargetGroupArn ?? "");
    expect(attributes).toMatchObject({
      "stickiness.enabled": "true",
      "stickiness.type": "lb_cookie",
      "stickiness.lb_cookie.duration_seconds": "86400",
      "deregistration_delay.timeout_seconds": "30",
    });
    const tags = await elbv2(endpoint).send(
      new DescribeTagsCommand({ ResourceArns: [made?.TargetGroupArn ?? ""] }),
    );
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "parity:address", Value: "targetGroups.web" },
        { Key: "parity:environment", Value: "tgtest" },
        { Key: "project", Value: "parity-test" },
      ]),
    );

    // AWS's defaults (thresholds, timeout) are not in the file, so they never show as changes.
    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    await elbv2(endpoint).send(
      new ModifyTargetGroupCommand({ TargetGroupArn: made?.TargetGroupArn, HealthCheckPath: "/" }),
    );
    const drift = await planFile(file, endpoint);
    expect(actions(drift.plan)).toEqual(["update targetGroups.web"]);
    expect(change(drift.plan, "targetGroups.web").attributes).toEqual([
      { path: "healthCheck.path", before: "/", after: "/health", forcesReplacement: false, sensitive: false },
    ]);
    drift.ctx.destroy();
    await applyFile(file, endpoint);
    expect((await groupByName(endpoint, "tgtest-web"))?.HealthCheckPath).toBe("/health");

    const settled = await planFile(file, endpoint);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();

    writeFileSync(file, FILE.split("targetGroups:")[0] as string);
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual(["delete targetGroups.web"]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await groupByName(endpoint, "tgtest-web")).toBeUndefined();
  });

  it("turns stickiness off, and replaces on a port change", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);
    const before = await groupByName(endpoint, "tgtest-web");

    writeFileSync(
      file,
      FILE.replace("stickiness: { type: lb_cookie, durationSeconds: 86400 }", "stickiness: false"),
    );
    const off = await planFile(file, endpoint);
    expect(
      change(off.plan, "targetGroups.web").attributes.map(
        (a) => `${a.path}: ${String(a.before)} → ${String(a.after)}`,
      ),
    ).toEqual(["stickiness.enabled: true → false"]);
    off.ctx.destroy();
    await applyFile(file, endpoint);
    expect((await attributesOf(endpoint, before?.TargetGroupArn ?? ""))["stickiness.enabled"]).toBe("false");
    const clean = await planFile(file, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();

    writeFileSync(file, FILE.replace("port: 8080", "port: 9090"));
    const moved = await planFile(file, endpoint);
    expect(actions(moved.plan)).toEqual(["replace targetGroups.web"]);
    expect(change(moved.plan, "targetGroups.web").reason).toBe("port changed");
    expect(change(moved.plan, "targetGroups.web").risks).toEqual(["downtime"]);
    moved.ctx.destroy();
    await applyFile(file, endpoint);
    const after = await groupByName(endpoint, "tgtest-web");
    expect(after?.Port).toBe(9090);
    expect(after?.TargetGroupArn).not.toBe(before?.TargetGroupArn);
    const replanned = await planFile(file, endpoint);
    expect(actions(replanned.plan)).toEqual([]);
    replanned.ctx.destroy();
  });

  it("finds its own target group when create runs again after an interrupted apply", async () => {
    const endpoint = emulator().endpoint;
    const session = await planFile(writeEnvironment(FILE), endpoint);
    try {
      const op = createOperation(session, "targetGroups.web");
      const first = await targetGroupType.create(session.ctx, op);
      // The second create meets DuplicateTargetGroupName and recognises the group by its tags.
      const second = await targetGroupType.create(session.ctx, op);
      expect(second).toEqual(first);
      const all = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({}));
      expect(all.TargetGroups?.map((g) => g.TargetGroupArn)).toEqual([first.arn]);
    } finally {
      session.ctx.destroy();
    }
  });

  it("adopts an untagged target group with the same name instead of failing on the duplicate", async () => {
    const endpoint = emulator().endpoint;
    const vpcs = await new EC2Client({ region: "us-west-1", endpoint }).send(
      new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
    );
    const existing = await elbv2(endpoint).send(
      new CreateTargetGroupCommand({
        Name: "tgtest-web",
        Protocol: "HTTP",
        Port: 8080,
        VpcId: vpcs.Vpcs?.[0]?.VpcId,
        HealthCheckPath: "/",
      }),
    );
    const arn = existing.TargetGroups?.[0]?.TargetGroupArn;
    const file = writeEnvironment(FILE);

    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt targetGroups.web"]);
    expect(change(plan.plan, "targetGroups.web").id).toBe(arn);
    plan.ctx.destroy();
    await applyFile(file, endpoint);

    const tags = await elbv2(endpoint).send(new DescribeTagsCommand({ ResourceArns: [arn ?? ""] }));
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual(
      expect.arrayContaining([{ Key: "parity:address", Value: "targetGroups.web" }]),
    );
    expect((await groupByName(endpoint, "tgtest-web"))?.HealthCheckPath).toBe("/health");
    const all = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({}));
    expect(all.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(["tgtest-web"]);
    const clean = await planFile(file, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();
  });

  it("never adopts another environment's target group: the plan names the owner", async () => {
    const endpoint = emulator().endpoint;
    await applyFile(writeEnvironment(FILE), endpoint);
    const other = writeEnvironment(FILE.replace("environment: tgtest", "environment: othertest"));
    await expect(planFile(other, endpoint)).rejects.toThrow(
      'targetGroups.web: target group tgtest-web belongs to the parity environment "tgtest"',
    );
  });
});

/** Needs the instances kind: registers the members of `instances.web` and follows its count. */
describe("targetGroups with targets: instances.web", () => {
  async function registered(endpoint: string, arn: string): Promise<string[]> {
    const health = await elbv2(endpoint).send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    return (health.TargetHealthDescriptions ?? []).map((h) => h.Target?.Id ?? "").sort();
  }

  async function runningInstances(endpoint: string): Promise<string[]> {
    const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
      new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["running"] }] }),
    );
    return (found.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .map((i) => i.InstanceId ?? "")
      .sort();
  }

  it("registers every member, deregisters a removed one before it is terminated, and repairs out-of-band deregistration", async () => {
    const endpoint = emulator().endpoint;
    const images = await new EC2Client({ region: "us-west-1", endpoint }).send(
      new DescribeImagesCommand({
        Owners: ["amazon"],
        Filters: [{ Name: "name", Values: ["amzn2-ami-hvm-*"] }],
      }),
    );
    const image = images.Images?.[0]?.ImageId ?? "";
    const targetsFile = (count: number) => `
environment: tgtest
region: us-west-1
instances:
  web: { count: ${count}, type: t3.micro, image: ${image} }
targetGroups:
  web:
    name: tgtest-web
    port: 8080
    healthCheck: { path: /health }
    targets: instances.web
`;
    const file = writeEnvironment(targetsFile(2));

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual([
      "create instances.web[0]",
      "create instances.web[1]",
      "create targetGroups.web",
    ]);
    expect(change(first.plan, "targetGroups.web").after?.targets).toEqual([
      { $unknown: "instances.web.id" },
      { $unknown: "instances.web.id" },
    ]);
    first.ctx.destroy();
    await applyFile(file, endpoint);
    const arn = (await groupByName(endpoint, "tgtest-web"))?.TargetGroupArn ?? "";
    const both = await runningInstances(endpoint);
    expect(both).toHaveLength(2);
    expect(await registered(endpoint, arn)).toEqual(both);
    const clean = await planFile(file, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();

    // Someone deregisters an instance by hand: the plan puts it back.
    await elbv2(endpoint).send(
      new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: both[0] }] }),
    );
    const drift = await planFile(file, endpoint);
    expect(actions(drift.plan)).toEqual(["update targetGroups.web"]);
    expect(change(drift.plan, "targetGroups.web").attributes.map((a) => a.path)).toEqual(["targets"]);
    expect(change(drift.plan, "targetGroups.web").notes).toEqual([`register ${both[0]}`]);
    drift.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await registered(endpoint, arn)).toEqual(both);

    // Scaling in: the target group lets go of the instance before it is terminated.
    writeFileSync(file, targetsFile(1));
    const scaleIn = await planFile(file, endpoint);
    expect(actions(scaleIn.plan)).toEqual(["update targetGroups.web", "delete instances.web[1]"]);
    const leaving = change(scaleIn.plan, "instances.web[1]").id ?? "";
    expect(change(scaleIn.plan, "targetGroups.web").notes[0]).toMatch(new RegExp(`^deregister ${leaving}`));
    const events: ApplyEvent[] = [];
    try {
      const result = await applySession(scaleIn, { events: (e) => events.push(e) });
      expect(result.failed).toEqual([]);
    } finally {
      scaleIn.ctx.destroy();
    }
    const order = events
      .filter((e) => e.type === "done" || e.type === "start")
      .map((e) => `${e.type} ${e.address}`);
    expect(order.indexOf("done targetGroups.web")).toBeLessThan(order.indexOf("start instances.web[1]"));
    expect(await registered(endpoint, arn)).toEqual(both.filter((id) => id !== leaving));
    const settled = await planFile(file, endpoint);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();
  });
});
