import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { parity } from "../support/child.js";
import { livePlan, useMoto } from "../support/harness.js";
import { editFile, stageExample } from "../support/stage.js";

const { emulator } = useMoto();
const REGION = "us-west-1";
const HTTPS_RULE = "      - { port: 443, cidr: 0.0.0.0/0 }\n";

/** The khorium before-state: the staging ALB's group admits HTTP only, as it was opened by hand. */
async function seedHttpOnly(endpoint: string): Promise<Record<string, string>> {
  const ids = await seedKhorium(endpoint, REGION);
  const ec2 = new EC2Client({ region: REGION, endpoint });
  try {
    const found = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: "group-name", Values: ["khorium-staging-alb-sg"] }],
      }),
    );
    // aws ec2 authorize-security-group-ingress --group-id … --protocol tcp --port 80 --cidr 0.0.0.0/0
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: found.SecurityGroups?.[0]?.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
  } finally {
    ec2.destroy();
  }
  return ids;
}

/** Where the 443 listener's port is written in the staged file, 1-based. */
function httpsListenerPort(file: string): { line: number; column: number } {
  const lines = readFileSync(file, "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes("{ port: 443, protocol: HTTPS"));
  return { line: index + 1, column: (lines[index] ?? "").indexOf("443") + 1 };
}

describe("a listener on a port its load balancer's groups do not admit", () => {
  it("is a wiring warning at the listener's port in the khorium before-state, an error with --strict", async () => {
    const endpoint = emulator().endpoint;
    const ids = await seedHttpOnly(endpoint);
    const file = stageExample("khorium", "staging.yaml", ids);
    // The file keeps the group as it is (HTTP only) and adds the HTTPS listener behind it.
    editFile(file, (text) => text.replace(HTTPS_RULE, ""));
    const { line, column } = httpsListenerPort(file);

    const warnings = (await livePlan(file, endpoint)).warnings.filter((w) => w.message.includes("listener"));
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: "warning",
        location: { file, line, column },
        message: "the listener on port 443 is unreachable: no rule in securityGroups.alb admits port 443",
        hint: "add { port: 443, cidr: 0.0.0.0/0 } to securityGroups.alb.ingress",
      }),
    ]);
    const strict = await parity(["plan", file, "--strict"], { endpoint });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${file}:${line}:${column}`);
    expect(strict.stderr).toContain("the listener on port 443 is unreachable");

    // The example as written opens 443 with the listener: nothing to warn about.
    const fixed = stageExample("khorium", "staging.yaml", ids);
    const none = (await livePlan(fixed, endpoint)).warnings.filter((w) => w.message.includes("listener"));
    expect(none).toEqual([]);
  });
});
