import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/index.js";
import { parity } from "../support/child.js";
import { actions, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

/** A real AMI of the emulator, found the way a user would. */
async function amazonLinux(endpoint: string): Promise<string> {
  const ssm = new SSMClient({ region: "us-west-1", endpoint });
  const found = await ssm.send(
    new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
  );
  ssm.destroy();
  return found.Parameter?.Value as string;
}

const file = (image: string, withDb = true) => `
environment: targeting
region: us-west-1
securityGroups:
  alb:
    name: targeting-alb
    ingress: [{ port: 443, cidr: 0.0.0.0/0 }]
  app:
    name: targeting-app
    ingress: [{ port: 8080, source: securityGroups.alb }]
${withDb ? "  db:\n    name: targeting-db\n    ingress: [{ port: 5432, source: securityGroups.app }]\n" : ""}instances:
  web:
    count: 2
    type: t3.micro
    image: ${image}
    securityGroups: [securityGroups.app]
`;

async function planJson(path: string, endpoint: string, flags: string[]): Promise<Plan> {
  const run = await parity(["plan", path, "--json", ...flags], { endpoint });
  expect(run.stderr).not.toContain("error");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Plan;
}

const messages = (plan: Plan) => plan.warnings.map((w) => `${w.severity}: ${w.message}`);

describe("--target and --exclude against moto", () => {
  it("plans exactly the targeted part, applies only it, and takes a kind's deletions", async () => {
    const endpoint = emulator().endpoint;
    const image = await amazonLinux(endpoint);
    const path = writeEnvironment(file(image));

    const web = await planJson(path, endpoint, ["--target", "instances.web"]);
    expect(actions(web)).toEqual([
      "create securityGroups.alb",
      "create securityGroups.app",
      "create instances.web[0]",
      "create instances.web[1]",
    ]);
    expect(messages(web)).toEqual([
      "warning: targeting instances.web also includes securityGroups.app (a dependency)",
      "warning: targeting instances.web also includes securityGroups.alb (a dependency)",
    ]);
    expect(web.summary).toEqual({ add: 4, change: 0, destroy: 0, replace: 0, adopt: 0 });

    const member = await planJson(path, endpoint, [
      "--target",
      "instances.web[1]",
      "--exclude",
      "securityGroups.alb",
    ]);
    expect(actions(member)).toEqual(["create securityGroups.app", "create instances.web[1]"]);
    expect(messages(member)).toEqual([
      "warning: targeting instances.web[1] also includes securityGroups.app (a dependency)",
      "warning: excluding securityGroups.alb, a dependency of securityGroups.app, which stays in the plan",
    ]);

    const rest = await planJson(path, endpoint, ["--exclude", "instances", "--exclude", "securityGroups.db"]);
    expect(actions(rest)).toEqual(["create securityGroups.alb", "create securityGroups.app"]);
    expect(messages(rest)).toEqual([]);

    // Apply only the groups: the instances stay unplanned and untouched.
    const applied = await parity(["apply", path, "--auto-approve", "--target", "securityGroups"], {
      endpoint,
    });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply: 3 done.");
    expect(applied.stdout).toContain("Converged:");
    expect(actions(await planJson(path, endpoint, []))).toEqual([
      "create instances.web[0]",
      "create instances.web[1]",
    ]);

    // securityGroups.db leaves the file: a kind target takes its deletion, a resource target does not.
    writeFileSync(path, file(image, false));
    expect(actions(await planJson(path, endpoint, ["--target", "securityGroups"]))).toEqual([
      "delete securityGroups.db",
    ]);
    expect(actions(await planJson(path, endpoint, ["--target", "securityGroups.db"]))).toEqual([
      "delete securityGroups.db",
    ]);
    expect(actions(await planJson(path, endpoint, ["--target", "securityGroups.app"]))).toEqual([]);
  });

  it("warns when a target matches nothing, and plans nothing", async () => {
    const endpoint = emulator().endpoint;
    const path = writeEnvironment(file(await amazonLinux(endpoint)));
    const plan = await planJson(path, endpoint, ["--target", "instances.wbe"]);
    expect(plan.changes).toEqual([]);
    expect(plan.warnings).toEqual([
      {
        severity: "warning",
        message: "--target instances.wbe matches nothing in the file or the account",
        hint: "did you mean instances.web?",
      },
    ]);
  });
});
