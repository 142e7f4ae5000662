import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { applyFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FILE = `
environment: clitest
region: us-west-1
securityGroups:
  web: { name: clitest-web, ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }
`;

async function groups(endpoint: string): Promise<string[]> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["clitest-*"] }] }),
  );
  return (found.SecurityGroups ?? []).map((g) => g.GroupName ?? "");
}

describe("the command line's contract", () => {
  it("refuses to apply without a terminal unless --auto-approve, changing nothing", async () => {
    const endpoint = emulator().endpoint;
    const run = await parity(["apply", writeEnvironment(FILE)], { endpoint });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("pass --auto-approve to apply unattended");
    expect(await groups(endpoint)).toEqual([]);
  });

  it("exits 2 with changes and 0 without under --detailed-exitcode", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    expect((await parity(["plan", file, "--detailed-exitcode"], { endpoint })).code).toBe(2);
    expect((await parity(["plan", file], { endpoint })).code).toBe(0);
    await applyFile(file, endpoint);
    const clean = await parity(["plan", file, "--detailed-exitcode"], { endpoint });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("No changes.");
  });

  it("reports bad input with its position and no stack trace", async () => {
    const file = writeEnvironment(FILE.replace("port: 443", "port: 99999"));
    const run = await parity(["validate", file], { endpoint: emulator().endpoint });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${file}:5:47 securityGroups.web.ingress[0].port: must be an integer 0-65535`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("names an unreachable endpoint in one line", async () => {
    const run = await parity(["plan", writeEnvironment(FILE)], { endpoint: "http://127.0.0.1:9" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cannot reach AWS at http://127.0.0.1:9");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("fails the demo with the install command when moto_server is missing", async () => {
    const run = await parity(["demo"], {
      endpoint: emulator().endpoint,
      env: { PATH: dirname(process.execPath) },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pip install "moto[server]"');
  });
});
