import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Ajv } from "ajv";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { applyFile, tempDir, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const BEFORE = `
environment: saved
region: us-west-1
securityGroups:
  alb:
    name: saved-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }]
`;

const AFTER = `
environment: saved
region: us-west-1
securityGroups:
  alb:
    name: saved-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }, { port: 443, cidr: 0.0.0.0/0 }]
  app:
    name: saved-app
    ingress: [{ port: 8080, source: securityGroups.alb }]
`;

const ec2 = (endpoint: string) => new EC2Client({ region: "us-west-1", endpoint });

async function group(endpoint: string, name: string) {
  const found = await ec2(endpoint).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [name] }] }),
  );
  return found.SecurityGroups?.[0];
}

async function ports(endpoint: string, name: string): Promise<number[]> {
  const g = await group(endpoint, name);
  return (g?.IpPermissions ?? []).map((p) => p.FromPort ?? -1).sort((a, b) => a - b);
}

/** The environment file in its own folder; the CLI runs there, so the plan records `env.yaml`. */
async function prepared(endpoint: string): Promise<{ dir: string; file: string }> {
  const file = writeEnvironment(BEFORE);
  await applyFile(file, endpoint);
  writeFileSync(file, AFTER);
  return { dir: dirname(file), file };
}

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../schemas/plan.schema.json"), "utf8"),
) as object;

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
    const clean = await run(["plan", "env.yaml", "--detailed-exitcode"]);
    expect(clean.code, clean.stdout).toBe(0);
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

  it("writes --json plans and saved plans that validate against schemas/plan.schema.json", async () => {
    const endpoint = emulator().endpoint;
    const { dir } = await prepared(endpoint);
    const run = (args: string[]) => parity(args, { endpoint, cwd: dir });
    const validate = new Ajv().compile(schema);

    const json = await run(["plan", "env.yaml", "--json", "--out", "plan.json"]);
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as unknown;
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    const saved = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { plan: unknown; kind: string };
    expect(saved.kind).toBe("parity-plan");
    expect(validate(saved), JSON.stringify(validate.errors)).toBe(true);
    expect(saved.plan).toEqual(plan);

    const shown = await run(["show", "plan.json", "--json"]);
    expect(JSON.parse(shown.stdout)).toEqual(plan);
    const text = await run(["show", "plan.json"]);
    expect(text.stdout).toContain("# securityGroups.app will be created");
    const markdown = await run(["show", "plan.json", "--markdown"]);
    expect(markdown.stdout).toContain("| create | `securityGroups.app` |");
  });

  it("keeps secrets out of the plan file and reads them again at apply", async () => {
    const endpoint = emulator().endpoint;
    const secret = "postgres://app:s3cret-only-in-env@db:5432/app";
    const file = writeEnvironment(`
environment: saved
region: us-west-1
appEnv:
  path: /saved/app/
  values:
    MODE: production
    DATABASE_URL: { secret: true, fromEnv: SAVED_DATABASE_URL }
`);
    const dir = dirname(file);
    const env = { SAVED_DATABASE_URL: secret };
    const planned = await parity(["plan", "env.yaml", "--out", "plan.json", "--markdown"], {
      endpoint,
      cwd: dir,
      env,
    });
    expect(planned.code, planned.stderr).toBe(0);
    const text = readFileSync(join(dir, "plan.json"), "utf8");
    expect(text).toContain("DATABASE_URL");
    expect(text).not.toContain("s3cret");
    expect(planned.stdout).not.toContain("s3cret");

    const applied = await parity(["apply", "plan.json", "--auto-approve"], { endpoint, cwd: dir, env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const stored = await new SSMClient({ region: "us-west-1", endpoint }).send(
      new GetParameterCommand({ Name: "/saved/app/DATABASE_URL", WithDecryption: true }),
    );
    expect(stored.Parameter?.Value).toBe(secret);
  });

  it("applies and shows a saved plan from another folder, where its file is not", async () => {
    const endpoint = emulator().endpoint;
    const { dir } = await prepared(endpoint);
    const planned = await parity(["plan", "env.yaml", "--out", "plan.json"], { endpoint, cwd: dir });
    expect(planned.code, planned.stderr).toBe(0);
    const elsewhere = tempDir();
    copyFileSync(join(dir, "plan.json"), join(elsewhere, "plan.json"));

    const shown = await parity(["show", "plan.json"], { endpoint, cwd: elsewhere });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("# securityGroups.app will be created");

    const applied = await parity(["apply", "plan.json", "--auto-approve"], { endpoint, cwd: elsewhere });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await ports(endpoint, "saved-alb")).toEqual([80, 443]);
    expect(await ports(endpoint, "saved-app")).toEqual([8080]);
  });
});
