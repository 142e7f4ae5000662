import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { actions, applyFile, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

// A cluster that talks to itself, and two tiers that call each other: valid groups, which parity
// once refused as a "reference cycle" (issue 8, finding 9): a rule is not a creation dependency.
const FILE = `
environment: sgcycle
region: us-west-1
securityGroups:
  cluster:
    name: sgcycle-cluster
    ingress: [{ port: 7000, source: securityGroups.cluster }]
  web:
    name: sgcycle-web
    ingress: [{ port: 8080, source: securityGroups.api }, { port: 443, cidr: 0.0.0.0/0 }]
  api:
    name: sgcycle-api
    ingress: [{ port: 9000, source: securityGroups.web }]
`;

async function groupIds(endpoint: string): Promise<Map<string, { id: string; sources: string[] }>> {
  const ec2 = new EC2Client({ region: "us-west-1", endpoint });
  const found = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["sgcycle-*"] }] }),
  );
  ec2.destroy();
  return new Map(
    (found.SecurityGroups ?? []).map((g) => [
      g.GroupName ?? "",
      {
        id: g.GroupId ?? "",
        sources: (g.IpPermissions ?? []).flatMap(
          (p) => p.UserIdGroupPairs?.map((pair) => `${p.FromPort}:${pair.GroupId}`) ?? [],
        ),
      },
    ]),
  );
}

describe("security groups that name themselves or each other", () => {
  it("are created and their rules authorised in one apply, then re-plan clean", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);

    const groups = await groupIds(endpoint);
    const id = (name: string) => groups.get(name)?.id;
    expect(groups.get("sgcycle-cluster")?.sources).toEqual([`7000:${id("sgcycle-cluster")}`]);
    expect(groups.get("sgcycle-web")?.sources).toEqual([`8080:${id("sgcycle-api")}`]);
    expect(groups.get("sgcycle-api")?.sources).toEqual([`9000:${id("sgcycle-web")}`]);

    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });
});
