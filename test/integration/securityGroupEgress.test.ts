import {
  AuthorizeSecurityGroupEgressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
} from "@aws-sdk/client-ec2";
import type { SecurityGroup } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { actions, applyFile, change, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

// The chatmrpt shape: the ALB's group sends only 8080 to the instances' group, which admits 8080
// only from the ALB's (mutual references), and a cluster that talks to itself on the way out.
const FILE = `
environment: egtest
region: us-west-1
securityGroups:
  alb:
    name: egtest-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }]
    egress: [{ port: 8080, source: securityGroups.app }]
  app:
    name: egtest-app
    ingress: [{ port: 8080, source: securityGroups.alb }]
  cluster:
    name: egtest-cluster
    egress: [{ port: 7000, source: securityGroups.cluster }, { port: 443, cidr: 0.0.0.0/0 }]
`;

const ALL_OUT = { IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] };

function ec2(endpoint: string): EC2Client {
  return new EC2Client({ region: "us-west-1", endpoint });
}

async function group(endpoint: string, name: string): Promise<SecurityGroup | undefined> {
  const found = await ec2(endpoint).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [name] }] }),
  );
  return found.SecurityGroups?.[0];
}

/** Outbound rules as `protocol port → peer`, sorted: what the live group really allows out. */
function egressOf(g: SecurityGroup | undefined): string[] {
  return (g?.IpPermissionsEgress ?? [])
    .flatMap((p) => {
      const where = `${p.IpProtocol} ${p.FromPort ?? "-"}`;
      return [
        ...(p.IpRanges ?? []).map((r) => `${where} → ${r.CidrIp}`),
        ...(p.UserIdGroupPairs ?? []).map((pair) => `${where} → ${pair.GroupId}`),
      ];
    })
    .sort();
}

describe("security-group egress against moto", () => {
  it("creates explicit outbound rules in place of AWS's default, with self and mutual references", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const plan = await livePlan(file, endpoint);
    // The default all-outbound rule is no exposure; the inbound 80 from the world is.
    expect(change(plan, "securityGroups.app").risks).toEqual([]);
    expect(change(plan, "securityGroups.alb").risks).toEqual(["public-exposure"]);
    await applyFile(file, endpoint);

    const alb = await group(endpoint, "egtest-alb");
    const app = await group(endpoint, "egtest-app");
    const cluster = await group(endpoint, "egtest-cluster");
    expect(egressOf(alb)).toEqual([`tcp 8080 → ${app?.GroupId}`]);
    expect(egressOf(app)).toEqual(["-1 - → 0.0.0.0/0"]);
    expect(egressOf(cluster)).toEqual([`tcp 443 → 0.0.0.0/0`, `tcp 7000 → ${cluster?.GroupId}`]);

    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("adopts hand-made groups with no attribute changes, default egress or restricted", async () => {
    const endpoint = emulator().endpoint;
    const client = ec2(endpoint);
    const vpcs = await client.send(
      new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
    );
    const vpc = vpcs.Vpcs?.[0]?.VpcId;
    // aws ec2 create-security-group …; the second one, then revoke-security-group-egress of the
    // default rule and authorize-security-group-egress of 443 only.
    await client.send(
      new CreateSecurityGroupCommand({ GroupName: "egtest-open", Description: "open", VpcId: vpc }),
    );
    const closed = await client.send(
      new CreateSecurityGroupCommand({ GroupName: "egtest-closed", Description: "closed", VpcId: vpc }),
    );
    await client.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: closed.GroupId, IpPermissions: [ALL_OUT] }),
    );
    await client.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: closed.GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    const file = writeEnvironment(`
environment: egtest
region: us-west-1
securityGroups:
  open: { name: egtest-open, description: open }
  closed: { name: egtest-closed, description: closed, egress: [{ port: 443, cidr: 0.0.0.0/0 }] }
`);
    const plan = await livePlan(file, endpoint);
    expect(actions(plan)).toEqual(["adopt securityGroups.open", "adopt securityGroups.closed"]);
    expect(change(plan, "securityGroups.open").attributes).toEqual([]);
    expect(change(plan, "securityGroups.closed").attributes).toEqual([]);
    await applyFile(file, endpoint);
    expect(egressOf(await group(endpoint, "egtest-closed"))).toEqual(["tcp 443 → 0.0.0.0/0"]);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("shows an outbound restriction made by hand as one update, and restores AWS's default", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);
    const app = await group(endpoint, "egtest-app");
    // Someone closes the instances' outbound traffic down to 443 by hand; the file says nothing of
    // egress, so AWS's default is what it asks for.
    await ec2(endpoint).send(
      new RevokeSecurityGroupEgressCommand({ GroupId: app?.GroupId, IpPermissions: [ALL_OUT] }),
    );
    await ec2(endpoint).send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: app?.GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    const drift = await livePlan(file, endpoint);
    expect(actions(drift)).toEqual(["update securityGroups.app"]);
    expect(change(drift, "securityGroups.app").attributes).toEqual([
      expect.objectContaining({
        path: "egress",
        before: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "0.0.0.0/0" }],
        after: [{ protocol: "all", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" }],
      }),
    ]);
    await applyFile(file, endpoint);
    expect(egressOf(await group(endpoint, "egtest-app"))).toEqual(["-1 - → 0.0.0.0/0"]);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });
});
