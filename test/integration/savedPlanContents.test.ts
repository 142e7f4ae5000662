import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Ajv } from "ajv";
import { copyFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { tempDir, useMoto, writeEnvironment } from "../support/harness.js";
import { ports, prepared } from "../support/savedPlanTest.js";

const { emulator } = useMoto();

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../schemas/plan.schema.json"), "utf8"),
) as object;

describe("what saved plans contain", () => {
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
