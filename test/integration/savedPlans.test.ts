import { AuthorizeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { actions, livePlan, useMoto } from "../support/harness.js";
import { AFTER, ec2, group, ports, prepared } from "../support/savedPlanTest.js";

const { emulator } = useMoto();

// What a saved plan refuses and what it applies; what it contains is in savedPlanContents.test.ts.
describe("saved plans against moto", () => {
  it("refuses a plan whose resources moved (exit 3, naming them) and changes nothing; a fresh one applies", async () => {
    const endpoint = emulator().endpoint;
    const { dir } = await prepared(endpoint);
    const run = (args: string[]) => parity(args, { endpoint, cwd: dir });

    const planned = await run(["plan", "env.yaml", "--out", "plan.json"]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain("Plan: 1 to add, 1 to change, 0 to destroy");
    const saved = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { file: string };
    expect(saved.file).toBe("env.yaml");

    // Someone opens SSH on the ALB's group between plan and apply.
    const alb = await group(endpoint, "saved-alb");
    await ec2(endpoint).send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: alb?.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const refused = await run(["apply", "plan.json", "--auto-approve"]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(
      /securityGroups\.alb: ingress was \[[^\n]*fromPort = 80[^\n]*\] when planned, is \[[^\n]*fromPort = 22[^\n]*\] now/,
    );
    expect(refused.stderr).not.toContain("securityGroups.app:");
    expect(await group(endpoint, "saved-app")).toBeUndefined();
    expect(await ports(endpoint, "saved-alb")).toEqual([22, 80]);

    const again = await run(["plan", "env.yaml", "--out", "plan.json"]);
    expect(again.code, again.stderr).toBe(0);
    const applied = await run(["apply", "plan.json", "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Converged");
    expect(await ports(endpoint, "saved-alb")).toEqual([80, 443]);
    expect(await group(endpoint, "saved-app")).toBeDefined();
    expect(actions(await livePlan(join(dir, "env.yaml"), endpoint))).toEqual([]);
  });

  it("refuses a plan once the configuration changed, and one for another region", async () => {
    const endpoint = emulator().endpoint;
    const { dir, file } = await prepared(endpoint);
    const run = (args: string[]) => parity(args, { endpoint, cwd: dir });
    expect((await run(["plan", "env.yaml", "--out", "plan.json"])).code).toBe(0);

    const elsewhere = await run(["--region", "eu-west-1", "apply", "plan.json", "--auto-approve"]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(
      "this plan was made for saved in us-west-1; it cannot be applied to eu-west-1",
    );

    writeFileSync(file, AFTER.replace("port: 8080", "port: 8081"));
    const changed = await run(["apply", "plan.json", "--auto-approve"]);
    expect(changed.code).toBe(3);
    expect(changed.stderr).toContain("the configuration changed since the plan was made (env.yaml");
    expect(await group(endpoint, "saved-app")).toBeUndefined();
    expect(await ports(endpoint, "saved-alb")).toEqual([80]);
  });

  it("applies a plan narrowed with --target to its targets only", async () => {
    const endpoint = emulator().endpoint;
    const { dir } = await prepared(endpoint);
    const run = (args: string[]) => parity(args, { endpoint, cwd: dir });
    const planned = await run(["plan", "env.yaml", "--target", "securityGroups.alb", "--out", "plan.json"]);
    expect(planned.code, planned.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { scope: unknown };
    expect(saved.scope).toEqual({ targets: ["securityGroups.alb"], excludes: [] });
    const applied = await run(["apply", "plan.json", "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await ports(endpoint, "saved-alb")).toEqual([80, 443]);
    expect(await group(endpoint, "saved-app")).toBeUndefined();
  });
});
