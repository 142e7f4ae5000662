import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FILE = `
environment: sgtest
region: us-west-1
securityGroups:
  alb:
    name: sgtest-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }, { port: 443, cidr: 0.0.0.0/0 }]
  app:
    name: sgtest-app
    ingress: [{ port: 8080, source: securityGroups.alb }, { port: 22, cidr: 203.0.113.10 }]
`;

function ec2(endpoint: string): EC2Client {
  return new EC2Client({ region: "us-west-1", endpoint });
}

async function groupByName(endpoint: string, name: string) {
  const found = await ec2(endpoint).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [name] }] }),
  );
  return found.SecurityGroups?.[0];
}

describe("securityGroups against moto", () => {
  it("creates, re-plans clean, reverts an out-of-band rule, and deletes", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual(["create securityGroups.alb", "create securityGroups.app"]);
    expect(change(first.plan, "securityGroups.alb").risks).toEqual(["public-exposure"]);
    first.ctx.destroy();
    await applyFile(file, endpoint);

    const app = await groupByName(endpoint, "sgtest-app");
    const alb = await groupByName(endpoint, "sgtest-alb");
    const sources = app?.IpPermissions?.flatMap(
      (p) => p.UserIdGroupPairs?.map((g) => `${p.FromPort}:${g.GroupId}`) ?? [],
    );
    expect(sources).toEqual([`8080:${alb?.GroupId}`]);
    expect(app?.Tags).toEqual(
      expect.arrayContaining([{ Key: "parity:address", Value: "securityGroups.app" }]),
    );

    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // Someone opens SSH to the world by hand: the plan shows exactly that rule going away.
    await ec2(endpoint).send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app?.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const drift = await planFile(file, endpoint);
    expect(actions(drift.plan)).toEqual(["update securityGroups.app"]);
    expect(change(drift.plan, "securityGroups.app").attributes.map((a) => a.path)).toEqual(["ingress"]);
    drift.ctx.destroy();
    await applyFile(file, endpoint);
    const fixed = await groupByName(endpoint, "sgtest-app");
    expect(fixed?.IpPermissions?.flatMap((p) => p.IpRanges?.map((r) => r.CidrIp) ?? [])).toEqual([
      "203.0.113.10/32",
    ]);

    writeFileSync(file, FILE.split("  app:")[0] as string);
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual(["delete securityGroups.app"]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await groupByName(endpoint, "sgtest-app")).toBeUndefined();
  });

  it("never adopts another environment's group: the plan names the owner", async () => {
    const endpoint = emulator().endpoint;
    await applyFile(writeEnvironment(FILE), endpoint);
    const other = writeEnvironment(FILE.replace("environment: sgtest", "environment: othertest"));
    await expect(planFile(other, endpoint)).rejects.toThrow(
      'securityGroups.alb: security group sgtest-alb belongs to the parity environment "sgtest"',
    );
  });
});
