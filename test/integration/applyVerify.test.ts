import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { parity, startParity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";
import { groupsFile } from "../support/lockState.js";
import { pauseAt } from "../support/pause.js";

const { emulator } = useMoto();

describe("apply's own re-plan after the walk", () => {
  it("exits 1, saying so, when the account no longer matches the file after the walk", async () => {
    const endpoint = emulator().endpoint;
    const ec2 = new EC2Client({ region: "us-west-1", endpoint });
    const file = writeEnvironment(groupsFile("verify", 1, "verify-"));
    // Held after the walk's summary and before the re-plan, while another hand opens SSH.
    const pause = pauseAt(/^Apply: \d+ done/m);
    const run = startParity(["apply", file, "--auto-approve"], { endpoint, env: pause.env });
    await pause.paused(run);
    const found = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["verify-g0"] }] }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: found.SecurityGroups?.[0]?.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    pause.resume();
    const result = await run.done;
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain("Apply: 1 done.");
    expect(result.stdout).toContain("Still different after apply");
    expect(result.stdout).toMatch(/^ {2}securityGroups\.g0: update \(ingress/m);
    expect(result.stderr).toContain(
      `error: apply did not converge: re-planning after it still shows changes to 1 resource; see them with parity plan ${file}, then apply again`,
    );
    expect(result.stdout).not.toContain("Converged");

    // The rule is still there: parity reported it, it did not fight it.
    expect((await parity(["plan", file, "--detailed-exitcode"], { endpoint })).code).toBe(2);
  }, 180_000);
});
