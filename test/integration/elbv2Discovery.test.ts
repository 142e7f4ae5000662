import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startFaultProxy } from "../support/faultProxy.js";
import type { FaultProxy } from "../support/faultProxy.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FILE = `
environment: elbtags
region: us-west-1
securityGroups:
  alb: { name: elbtags-alb, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }
targetGroups:
  web: { name: elbtags-web, port: 8080, healthCheck: { path: /health } }
loadBalancers:
  web:
    name: elbtags-alb
    securityGroups: [securityGroups.alb]
    listeners:
      - { port: 80, protocol: HTTP, forward: targetGroups.web }
`;

function elbv2(endpoint: string): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
}

async function liveTags(endpoint: string, arn: string): Promise<Record<string, string>> {
  const found = await elbv2(endpoint).send(new DescribeTagsCommand({ ResourceArns: [arn] }));
  const tags = found.TagDescriptions?.[0]?.Tags ?? [];
  return Object.fromEntries(tags.map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/** The calls a plan through the proxy made of one ELBv2 operation. */
function callsOf(proxy: FaultProxy, operation: string): number {
  return proxy.calls.filter((c) => c.service === "elasticloadbalancing" && c.operation === operation).length;
}

/** Plans through a recording proxy; returns the plan's actions and the proxy (stopped). */
async function recordedPlan(file: string, endpoint: string) {
  const proxy = await startFaultProxy({ target: endpoint });
  try {
    const session = await planFile(file, proxy.endpoint);
    session.ctx.destroy();
    return { plan: session.plan, proxy };
  } finally {
    await proxy.stop();
  }
}

async function defaultSubnets(endpoint: string): Promise<string[]> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
  );
  return (found.Subnets ?? []).map((s) => s.SubnetId ?? "");
}

async function defaultVpc(endpoint: string): Promise<string> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
  );
  return found.Vpcs?.[0]?.VpcId ?? "";
}

describe("ELBv2 discovery by the tagging API", () => {
  it("plans an applied load balancer and target group again without one DescribeTags, however crowded the region", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);
    // More than one DescribeTags batch of someone else's groups: none of them is read.
    const vpc = await defaultVpc(endpoint);
    for (let i = 0; i < 21; i++) {
      await elbv2(endpoint).send(
        new CreateTargetGroupCommand({ Name: `someone-${i}`, Protocol: "HTTP", Port: 80, VpcId: vpc }),
      );
    }

    const { plan, proxy } = await recordedPlan(file, endpoint);
    expect(actions(plan)).toEqual([]);
    expect(callsOf(proxy, "DescribeLoadBalancers")).toBe(1);
    expect(callsOf(proxy, "DescribeTargetGroups")).toBe(1);
    expect(callsOf(proxy, "DescribeTags")).toBe(0);
    // The tags the plan compared are the live ones, read back from ELBv2 itself.
    const lb = change(plan, "loadBalancers.web");
    const group = change(plan, "targetGroups.web");
    expect(await liveTags(endpoint, lb.id ?? "")).toMatchObject({
      "parity:environment": "elbtags",
      "parity:address": "loadBalancers.web",
    });
    expect(await liveTags(endpoint, group.id ?? "")).toMatchObject({
      "parity:environment": "elbtags",
      "parity:address": "targetGroups.web",
    });
  });

  it("still reads ELBv2's own tags to adopt a hand-made load balancer the file now names", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);
    const made = await elbv2(endpoint).send(
      new CreateLoadBalancerCommand({ Name: "elbtags-hand", Subnets: await defaultSubnets(endpoint) }),
    );
    const arn = made.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    writeFileSync(file, `${FILE}  hand:\n    name: elbtags-hand\n    securityGroups: [securityGroups.alb]\n`);

    const { plan, proxy } = await recordedPlan(file, endpoint);
    expect(actions(plan)).toEqual(["adopt loadBalancers.hand"]);
    expect(change(plan, "loadBalancers.hand").id).toBe(arn);
    // One read, for the candidate alone: the file's own load balancer and group come from the index.
    expect(callsOf(proxy, "DescribeTags")).toBe(1);

    await applyFile(file, endpoint);
    expect(await liveTags(endpoint, arn)).toMatchObject({
      "parity:environment": "elbtags",
      "parity:address": "loadBalancers.hand",
    });
  });

  it("still refuses a target group another environment owns, naming the owner", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);
    await elbv2(endpoint).send(
      new CreateTargetGroupCommand({
        Name: "elbtags-theirs",
        Protocol: "HTTP",
        Port: 8080,
        VpcId: await defaultVpc(endpoint),
        Tags: [
          { Key: "parity:environment", Value: "othertest" },
          { Key: "parity:region", Value: "us-west-1" },
          { Key: "parity:address", Value: "targetGroups.web" },
        ],
      }),
    );
    writeFileSync(
      file,
      FILE.replace("loadBalancers:", "  theirs: { name: elbtags-theirs, port: 8080 }\nloadBalancers:"),
    );

    await expect(planFile(file, endpoint)).rejects.toThrow(
      'targetGroups.theirs: target group elbtags-theirs belongs to the parity environment "othertest" in us-west-1',
    );
  });

  it("reads the service's tags of a load balancer the file dropped, and plans its deletion", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const { result } = await applyFile(file, endpoint);
    expect(result.failed).toEqual([]);
    writeFileSync(file, FILE.split("loadBalancers:")[0] as string);

    const { plan, proxy } = await recordedPlan(file, endpoint);
    expect(actions(plan).sort()).toEqual([
      "delete loadBalancers.web",
      "delete loadBalancers.web.listeners[80]",
    ]);
    // The deletion is decided on ELBv2's own tags, never on the index's alone.
    expect(callsOf(proxy, "DescribeTags")).toBe(1);
    const id = change(plan, "loadBalancers.web").id ?? "";
    expect(await liveTags(endpoint, id)).toMatchObject({ "parity:address": "loadBalancers.web" });
  });
});
