import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/index.js";
import { parity } from "../support/child.js";
import { actions, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

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

/** Narrowed in-process; the flags themselves go through the CLI once per command below. */
function planScoped(
  path: string,
  endpoint: string,
  targets: string[],
  excludes: string[] = [],
): Promise<Plan> {
  return livePlan(path, endpoint, { scope: { targets, excludes } });
}

const messages = (plan: Plan) => plan.warnings.map((w) => `${w.severity}: ${w.message}`);

describe("--target and --exclude against moto", () => {
  it("plans exactly the targeted part, applies only it, and takes a kind's deletions", async () => {
    const endpoint = emulator().endpoint;
    const image = await amazonLinux(endpoint);
    const path = writeEnvironment(file(image));

    const web = await planScoped(path, endpoint, ["instances.web"]);
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

    const member = await planScoped(path, endpoint, ["instances.web[1]"], ["securityGroups.alb"]);
    expect(actions(member)).toEqual(["create securityGroups.app", "create instances.web[1]"]);
    expect(messages(member)).toEqual([
      "warning: targeting instances.web[1] also includes securityGroups.app (a dependency)",
      "warning: excluding securityGroups.alb, a dependency of securityGroups.app, which stays in the plan",
    ]);

    // The command line passes the flags, each repeatable, through to the same narrowing.
    const rest = await parity(
      ["plan", path, "--json", "--exclude", "instances", "--exclude", "securityGroups.db"],
      {
        endpoint,
      },
    );
    expect(rest.code, rest.stderr).toBe(0);
    const restPlan = JSON.parse(rest.stdout) as Plan;
    expect(actions(restPlan)).toEqual(["create securityGroups.alb", "create securityGroups.app"]);
    expect(messages(restPlan)).toEqual([]);

    // Apply only the groups: the instances stay unplanned and untouched.
    const applied = await parity(["apply", path, "--auto-approve", "--target", "securityGroups"], {
      endpoint,
    });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply: 3 done.");
    expect(applied.stdout).toContain("Converged:");
    expect(actions(await livePlan(path, endpoint))).toEqual([
      "create instances.web[0]",
      "create instances.web[1]",
    ]);

    // securityGroups.db leaves the file: a kind target takes its deletion, a resource target does not.
    writeFileSync(path, file(image, false));
    expect(actions(await planScoped(path, endpoint, ["securityGroups"]))).toEqual([
      "delete securityGroups.db",
    ]);
    expect(actions(await planScoped(path, endpoint, ["securityGroups.db"]))).toEqual([
      "delete securityGroups.db",
    ]);
    expect(actions(await planScoped(path, endpoint, ["securityGroups.app"]))).toEqual([]);
  });

  it("warns when a target matches nothing, and plans nothing", async () => {
    const endpoint = emulator().endpoint;
    const path = writeEnvironment(file(await amazonLinux(endpoint)));
    const plan = await planScoped(path, endpoint, ["instances.wbe"]);
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
