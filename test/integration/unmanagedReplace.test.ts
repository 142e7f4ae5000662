import {
  CreateTargetGroupCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

/** The runbook's target group, made by hand on port 80; the file wants 8080, which forces a new one. */
const FILE = `
environment: unmanaged
region: us-west-1
targetGroups:
  web:
    name: hand-web
    port: 8080
`;

function elbv2(endpoint: string): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
}

async function makeByHand(endpoint: string): Promise<string> {
  const vpcs = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
  );
  const made = await elbv2(endpoint).send(
    new CreateTargetGroupCommand({
      Name: "hand-web",
      Protocol: "HTTP",
      Port: 80,
      VpcId: vpcs.Vpcs?.[0]?.VpcId,
    }),
  );
  return made.TargetGroups?.[0]?.TargetGroupArn ?? "";
}

async function liveGroups(endpoint: string) {
  const found = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({}));
  return (found.TargetGroups ?? []).map((g) => ({ arn: g.TargetGroupArn, port: g.Port }));
}

describe("replacing what parity did not create", () => {
  it("is refused at plan time, and apply changes nothing", async () => {
    const endpoint = emulator().endpoint;
    const arn = await makeByHand(endpoint);
    const file = writeEnvironment(FILE);

    const plan = await parity(["plan", file], { endpoint });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      "targetGroups.web: would replace " + arn + ", which parity did not create (port differ)",
    );
    expect(plan.stderr).toContain("add `replaceUnmanaged: true` to this entry");
    const apply = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(apply.code).toBe(1);
    expect(await liveGroups(endpoint)).toEqual([{ arn, port: 80 }]);
  });

  it("goes ahead when the entry opts in, shown as an unmanaged risk, and leaves one managed group", async () => {
    const endpoint = emulator().endpoint;
    const arn = await makeByHand(endpoint);
    const file = writeEnvironment(FILE.replace("port: 8080", "port: 8080\n    replaceUnmanaged: true"));

    const plan = await parity(["plan", file, "--no-color"], { endpoint });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("Risk unmanaged: targetGroups.web");
    expect(plan.stdout).toContain(
      `# targetGroups.web must be replaced (port changed; parity did not create ${arn})  [downtime, unmanaged]`,
    );
    expect((await parity(["apply", file, "--auto-approve"], { endpoint })).code).toBe(0);

    const groups = await liveGroups(endpoint);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.arn).not.toBe(arn);
    expect(groups[0]?.port).toBe(8080);
    const tags = await elbv2(endpoint).send(
      new DescribeTagsCommand({ ResourceArns: [groups[0]?.arn ?? ""] }),
    );
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual(
      expect.arrayContaining([{ Key: "parity:address", Value: "targetGroups.web" }]),
    );
    expect((await parity(["plan", file, "--detailed-exitcode"], { endpoint })).code).toBe(0);
  });
});
