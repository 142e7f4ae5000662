import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load, planLoaded } from "../../src/cli/workflow.js";
import { renderPlanText } from "../../src/render/text.js";
import { actions, applyFile, livePlan, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();
const REGION = "us-west-1";

function asMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/** The web tier under one set of keys: two instances, their target group, a load balancer in front. */
function tier(instances: string, group: string, moved = ""): string {
  return `environment: movetest
region: ${REGION}
${moved}
securityGroups:
  alb: { name: movetest-alb, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }
instances:
  ${instances}: { count: 2, type: t3.micro, image: { name: "amzn2-ami-hvm-*-x86_64-gp2" } }
targetGroups:
  ${group}: { name: movetest-tg, port: 8080, healthCheck: { path: /health }, targets: instances.${instances} }
loadBalancers:
  front:
    name: movetest-alb
    securityGroups: [securityGroups.alb]
    listeners: [{ port: 80, protocol: HTTP, forward: targetGroups.${group} }]
`;
}

/** Every live instance of the environment: id → its tags and its volumes' address tags. */
async function instances(endpoint: string) {
  const ec2 = new EC2Client({ region: REGION, endpoint });
  try {
    const found = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag:parity:environment", Values: ["movetest"] },
          { Name: "instance-state-name", Values: ["pending", "running"] },
        ],
      }),
    );
    const list = (found.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    return Promise.all(
      list.map(async (i) => {
        const volumes = (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId ?? "");
        const read = await ec2.send(new DescribeVolumesCommand({ VolumeIds: volumes }));
        return {
          id: i.InstanceId ?? "",
          address: asMap(i.Tags)["parity:address"],
          volumes: (read.Volumes ?? []).map((v) => asMap(v.Tags)["parity:address"]),
        };
      }),
    );
  } finally {
    ec2.destroy();
  }
}

async function targetGroup(endpoint: string): Promise<{ arn: string; tags: Record<string, string> }> {
  const elbv2 = new ElasticLoadBalancingV2Client({ region: REGION, endpoint });
  try {
    const found = await elbv2.send(new DescribeTargetGroupsCommand({ Names: ["movetest-tg"] }));
    const arn = found.TargetGroups?.[0]?.TargetGroupArn ?? "";
    const tags = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    return { arn, tags: asMap(tags.TagDescriptions?.[0]?.Tags) };
  } finally {
    elbv2.destroy();
  }
}

const byId = (list: { id: string }[]) => list.map((i) => i.id).sort();

describe("moved", () => {
  it("renames a counted group and a target group by re-tagging them: nothing is replaced", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(tier("web", "web"));
    await applyFile(file, endpoint);
    const before = await instances(endpoint);
    const group = await targetGroup(endpoint);
    expect(before.map((i) => i.address).sort()).toEqual(["instances.web[0]", "instances.web[1]"]);

    writeFileSync(
      file,
      tier(
        "app",
        "app",
        `moved:
  - { from: instances.web, to: instances.app }
  - { from: targetGroups.web, to: targetGroups.app }`,
      ),
    );
    const session = await planFile(file, endpoint);
    const plan = session.plan;
    const moves = plan.changes.filter((c) => c.movedFrom !== undefined);
    expect(moves.map((c) => `${c.movedFrom} → ${c.address} (${c.action})`).sort()).toEqual([
      "instances.web[0] → instances.app[0] (no-op)",
      "instances.web[1] → instances.app[1] (no-op)",
      "targetGroups.web → targetGroups.app (no-op)",
    ]);
    expect(actions(plan)).toEqual([]);
    expect(plan.summary).toMatchObject({ add: 0, change: 0, destroy: 0, replace: 0, move: 3 });
    const text = renderPlanText(plan);
    expect(text).toContain("  # instances.app[0] has moved from instances.web[0]");
    expect(text).toContain("Plan: 0 to add, 0 to change, 0 to destroy, 0 to replace, 0 to adopt, 3 to move.");
    session.ctx.destroy();

    await applyFile(file, endpoint);
    const after = await instances(endpoint);
    expect(byId(after)).toEqual(byId(before));
    for (const member of after) {
      expect(member.address).toMatch(/^instances\.app\[[01]\]$/);
      expect(member.volumes.every((v) => v === member.address)).toBe(true);
    }
    const moved = await targetGroup(endpoint);
    expect(moved.arn).toBe(group.arn);
    expect(moved.tags["parity:address"]).toBe("targetGroups.app");
    // What it recorded it depends on follows the rename, so a later delete still runs in order.
    expect(moved.tags["parity:depends-on"]).toBe("instances.app");

    const again = await livePlan(file, endpoint);
    expect(actions(again)).toEqual([]);
    expect(again.changes.filter((c) => c.movedFrom !== undefined)).toEqual([]);
    expect(renderPlanText(again)).toContain("No changes.");
  });

  it("moves one member of a counted group and a load balancer with its listeners", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(tier("web", "web"));
    await applyFile(file, endpoint);
    const before = await instances(endpoint);
    const second = before.find((i) => i.address === "instances.web[1]")?.id;

    // The second member becomes a group of its own; the load balancer gets a better key.
    const split = tier("web", "web")
      .replace("count: 2", "count: 1")
      .replace(
        "targetGroups:",
        `  solo: { type: t3.micro, image: { name: "amzn2-ami-hvm-*-x86_64-gp2" } }\ntargetGroups:`,
      )
      .replace("  front:", "  edge:");
    writeFileSync(
      file,
      `${split}moved:\n  - { from: "instances.web[1]", to: "instances.solo[0]" }\n  - { from: loadBalancers.front, to: loadBalancers.edge }\n`,
    );
    const plan = await livePlan(file, endpoint);
    expect(
      plan.changes
        .filter((c) => c.movedFrom !== undefined)
        .map((c) => `${c.movedFrom} → ${c.address}`)
        .sort(),
    ).toEqual([
      "instances.web[1] → instances.solo[0]",
      "loadBalancers.front → loadBalancers.edge",
      "loadBalancers.front.listeners[80] → loadBalancers.edge.listeners[80]",
    ]);
    // The target group now registers one member only: that is the one real change.
    expect(actions(plan)).toEqual(["update targetGroups.web"]);

    await applyFile(file, endpoint);
    const after = await instances(endpoint);
    expect(byId(after)).toEqual(byId(before));
    expect(after.find((i) => i.id === second)?.address).toBe("instances.solo[0]");
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("refuses a move onto an address that also exists live, and warns of one that names nothing", async () => {
    const endpoint = emulator().endpoint;
    const groups = (keys: string[]) =>
      `environment: movetest\nregion: ${REGION}\nsecurityGroups:\n` +
      keys.map((k) => `  ${k}: { name: movetest-${k}, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }\n`).join("");
    const file = writeEnvironment(groups(["alb", "edge"]));
    await applyFile(file, endpoint);
    writeFileSync(
      file,
      groups(["edge"]) +
        "moved:\n  - { from: securityGroups.alb, to: securityGroups.edge }\n  - { from: buckets.gone, to: buckets.old }\n",
    );
    const { loaded } = load(file, { secrets: {} });
    const session = await planLoaded(loaded!, { endpoint });
    session.ctx.destroy();
    expect(session.errors.map((e) => `${e.location?.line}: ${e.message}`)).toEqual([
      expect.stringMatching(
        /^6: cannot move securityGroups\.alb to securityGroups\.edge: securityGroups\.edge already exists in the account \(sg-/,
      ),
    ]);
    expect(session.plan.warnings.map((w) => `${w.location?.line}: ${w.message}`)).toEqual([
      "7: moved entry buckets.gone → buckets.old names nothing in the file or the account",
    ]);
  });
});
