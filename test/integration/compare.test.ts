import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Ajv } from "ajv";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Comparison } from "../../src/model/index.js";
import { parity } from "../support/child.js";
import { tempDir, useMoto } from "../support/harness.js";

const { emulator } = useMoto();
const ROOT = join(import.meta.dirname, "../..");
const SECRETS = { production: "prod-db-password-7c1f", staging: "staging-db-password-9e2d" };

type Built = { albGroup: string };

/** An environment as a team builds it by hand: `aws ec2 create-security-group`, `aws elbv2 create-target-group`, `aws ssm put-parameter`. */
async function buildByHand(
  name: "production" | "staging",
  region: string,
  healthPath: string,
): Promise<Built> {
  const config = { region, endpoint: emulator().endpoint };
  const ec2 = new EC2Client(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const ssm = new SSMClient(config);
  try {
    const vpcs = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
    );
    const vpc = vpcs.Vpcs?.[0]?.VpcId;
    const alb = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `${name}-alb-sg`, Description: `${name} alb`, VpcId: vpc }),
    );
    const app = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `${name}-app-sg`, Description: `${name} app`, VpcId: vpc }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: alb.GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app.GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: alb.GroupId }] },
        ],
      }),
    );
    await elb.send(
      new CreateTargetGroupCommand({
        Name: `${name}-tg`,
        Port: 8080,
        Protocol: "HTTP",
        VpcId: vpc,
        HealthCheckPath: healthPath,
      }),
    );
    await ssm.send(
      new PutParameterCommand({ Name: `/${name}/DATABASE_URL`, Type: "SecureString", Value: SECRETS[name] }),
    );
    if (name === "production") {
      await ssm.send(
        new PutParameterCommand({ Name: "/production/REDIS_URL", Type: "String", Value: "redis://r:6379" }),
      );
    }
    return { albGroup: alb.GroupId ?? "" };
  } finally {
    for (const client of [ec2, elb, ssm]) client.destroy();
  }
}

/** The file `parity export` would write for it: adopted by name, defaults left out. */
function fileFor(name: string, region: string, healthPath: string, extra = ""): string {
  const redis = name === "production" ? `\n    REDIS_URL: "redis://r:6379"` : "";
  return `environment: ${name}
region: ${region}
securityGroups:
  alb: { name: ${name}-alb-sg, description: ${name} alb, ingress: [{ port: 443, cidr: 0.0.0.0/0 }] }
  app: { name: ${name}-app-sg, description: ${name} app, ingress: [{ port: 8080, source: securityGroups.alb }] }
targetGroups:
  web: { name: ${name}-tg, port: 8080, healthCheck: { path: ${healthPath} } }
appEnv:
  path: /${name}/
  values:
    DATABASE_URL: { secret: true, fromEnv: ${name.toUpperCase()}_DATABASE_URL }${redis}
${extra}`;
}

async function twoEnvironments(
  stagingRegion = "us-west-1",
  stagingExtra = "",
): Promise<{ dir: string; staging: Built }> {
  await buildByHand("production", "us-west-1", "/health");
  const staging = await buildByHand("staging", stagingRegion, "/");
  const dir = tempDir();
  writeFileSync(join(dir, "production.yaml"), fileFor("production", "us-west-1", "/health"));
  writeFileSync(join(dir, "staging.yaml"), fileFor("staging", stagingRegion, "/", stagingExtra));
  return { dir, staging };
}

function compare(dir: string, ...flags: string[]) {
  return parity(["compare", "production.yaml", "staging.yaml", ...flags], {
    endpoint: emulator().endpoint,
    cwd: dir,
    env: { PRODUCTION_DATABASE_URL: SECRETS.production, STAGING_DATABASE_URL: SECRETS.staging },
  });
}

const rowsOf = (c: Comparison) =>
  c.rows.map((r) => [r.address, r.path ?? null, r.gap, r.a ?? null, r.b ?? null]);

const EXPECTED_ROWS = [
  ["targetGroups.web", "healthCheck.path", "differs", "/health", "/"],
  ["appEnv.values.REDIS_URL", null, "missing-in-b", "present", "absent"],
];

function expectNoSecret(...outputs: string[]): void {
  for (const text of outputs) for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

describe("parity compare against moto", () => {
  it("lists exactly the gaps between two hand-built environments, in text, Markdown and JSON", async () => {
    const { dir } = await twoEnvironments();
    const [json, text, markdown] = await Promise.all([
      compare(dir, "--json"),
      compare(dir),
      compare(dir, "--markdown"),
    ]);
    expect(json.code, json.stderr).toBe(2);
    const comparison = JSON.parse(json.stdout) as Comparison;
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas/compare.schema.json"), "utf8")) as object;
    const validate = new Ajv().compile(schema);
    expect(validate(comparison), JSON.stringify(validate.errors)).toBe(true);
    // The security groups are wired alike (8080 from the ALB's group) although their ids differ.
    expect(rowsOf(comparison)).toEqual(EXPECTED_ROWS);
    expect(comparison.summary).toEqual({ differences: 2, resources: 2, expected: 0 });
    expect(comparison.rows[0]?.fix).toContain("in staging.yaml");

    expect(text.code).toBe(2);
    const tableLines = text.stdout
      .split("\n")
      .filter((l) => /^ {2}\S/.test(l) && /differs|missing in|only in/.test(l) && !l.includes("→"));
    expect(tableLines.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ["targetGroups.web", "healthCheck.path", "/health", "/", "differs"],
      ["appEnv.values.REDIS_URL", "—", "present", "absent", "missing in staging"],
    ]);
    expect(text.stdout).toContain("staging differs from production in 2 places across 2 resources.");
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain(
      "| targetGroups | `targetGroups.web` | `healthCheck.path` | `/health` | `/` | differs |",
    );
    expect(markdown.stdout).toContain(
      "| appEnv | `appEnv.values.REDIS_URL` | — | `present` | `absent` | missing in staging |",
    );
    expectNoSecret(json.stdout, json.stderr, text.stdout, text.stderr, markdown.stdout, markdown.stderr);
  });

  it("moves declared differences to their own section and exits 0 when nothing else differs", async () => {
    const { dir } = await twoEnvironments(
      "us-west-1",
      `expectedDifferences:
  - { path: targetGroups.web.healthCheck.path, reason: staging's app has no /health yet }
  - { path: appEnv.values.REDIS_URL, reason: staging keeps sessions in memory }
`,
    );
    const run = await compare(dir, "--json");
    expect(run.code, run.stderr).toBe(0);
    const comparison = JSON.parse(run.stdout) as Comparison;
    expect(comparison.rows).toEqual([]);
    expect(comparison.expected.map((r) => [r.address, r.expected?.reason])).toEqual([
      ["targetGroups.web", "staging's app has no /health yet"],
      ["appEnv.values.REDIS_URL", "staging keeps sessions in memory"],
    ]);
    const text = await compare(dir);
    expect(text.stdout).toContain("Expected differences (declared, not counted)");
    expect(text.stdout).toContain(
      "staging has the same shape as production (2 expected differences not counted).",
    );
  });

  it("shows a change made out of band as exactly one row, and says it is the live account's", async () => {
    const { dir, staging } = await twoEnvironments(
      "us-west-1",
      `expectedDifferences:
  - { path: targetGroups.web, reason: staging's app has no /health yet }
  - { path: appEnv.values.REDIS_URL, reason: staging keeps sessions in memory }
`,
    );
    // `aws ec2 authorize-security-group-ingress` by hand, in staging only.
    const ec2 = new EC2Client({ region: "us-west-1", endpoint: emulator().endpoint });
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: staging.albGroup,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    ec2.destroy();
    const run = await compare(dir, "--json");
    expect(run.code, run.stderr).toBe(2);
    const comparison = JSON.parse(run.stdout) as Comparison;
    expect(comparison.rows.map((r) => [r.address, r.path, r.gap])).toEqual([
      ["securityGroups.alb", "ingress", "differs"],
    ]);
    expect(comparison.rows[0]?.fix).toBe(
      "staging's live value is not what staging.yaml says: run `parity apply staging.yaml`",
    );
    expect(comparison.b.changes).toBeGreaterThan(0);
  });

  it("compares two environments in different regions", async () => {
    const { dir } = await twoEnvironments("us-east-1");
    const run = await compare(dir, "--json");
    expect(run.code, run.stderr).toBe(2);
    const comparison = JSON.parse(run.stdout) as Comparison;
    expect([comparison.a.region, comparison.b.region]).toEqual(["us-west-1", "us-east-1"]);
    expect(rowsOf(comparison)).toEqual(EXPECTED_ROWS);
    expectNoSecret(run.stdout, run.stderr);
  });

  it("refuses an expectedDifferences entry that names nothing in either file, at its line", async () => {
    const { dir } = await twoEnvironments(
      "us-west-1",
      `expectedDifferences:
  - { path: targetGroup.web.port, reason: a typo }
`,
    );
    const run = await compare(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /staging\.yaml:13:\d+ expectedDifferences\[0\]\.path: targetGroup\.web\.port names no resource/,
    );
  });
});
