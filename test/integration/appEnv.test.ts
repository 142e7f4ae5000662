import {
  GetParameterCommand,
  GetParametersByPathCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load } from "../../src/cli/workflow.js";
import { parity } from "../support/child.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const SECRET = "postgres://app:s3cr3t-7f9a@db.internal:5432/app";
const ROTATED = "postgres://app:r0tated-41c2@db.internal:5432/app";
const TAMPERED = "postgres://intruder:hand-edited-99@elsewhere:5432/app";
const secrets = { ENVTEST_DATABASE_URL: SECRET };

const FILE = `
environment: envtest
region: us-west-1
buckets:
  assets: { name: envtest-assets }
appEnv:
  path: /envtest/staging/
  values:
    CORS_ORIGINS: https://app.example.com
    S3_BUCKET_NAME: "\${buckets.assets.name}"
    PORT: 8080
    DATABASE_URL: { secret: true, fromEnv: ENVTEST_DATABASE_URL }
`;

function ssm(endpoint: string): SSMClient {
  return new SSMClient({ region: "us-west-1", endpoint });
}

async function read(endpoint: string, name: string): Promise<{ type?: string; value?: string }> {
  const found = await ssm(endpoint).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  return { type: found.Parameter?.Type, value: found.Parameter?.Value };
}

async function put(
  endpoint: string,
  name: string,
  value: string,
  type: "String" | "SecureString" = "String",
): Promise<void> {
  await ssm(endpoint).send(
    new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }),
  );
}

async function namesUnder(endpoint: string, path: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await ssm(endpoint).send(
      new GetParametersByPathCommand({ Path: path, Recursive: true, NextToken: token }),
    );
    names.push(...(page.Parameters ?? []).map((p) => p.Name as string));
    token = page.NextToken;
  } while (token);
  return names.sort();
}

function leaks(value: unknown, ...texts: string[]): string[] {
  const json = JSON.stringify(value);
  return texts.filter((t) => json.includes(t));
}

describe("appEnv against moto", () => {
  it("writes one parameter per key, keeps secrets masked, reverts out-of-band edits, and removes dropped keys", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);

    const first = await planFile(file, endpoint, secrets);
    expect(actions(first.plan)).toEqual([
      "create buckets.assets",
      "create appEnv.values.CORS_ORIGINS",
      "create appEnv.values.S3_BUCKET_NAME",
      "create appEnv.values.PORT",
      "create appEnv.values.DATABASE_URL",
    ]);
    // The bucket's name is known from the file, so the interpolated value is shown, not "(known after apply)".
    expect(change(first.plan, "appEnv.values.S3_BUCKET_NAME").after).toMatchObject({
      value: "envtest-assets",
    });
    expect(change(first.plan, "appEnv.values.DATABASE_URL").after).toEqual({
      name: "/envtest/staging/DATABASE_URL",
      type: "SecureString",
      value: { $sensitive: true, changed: true },
    });
    expect(leaks(first.plan, SECRET)).toEqual([]);
    first.ctx.destroy();
    await applyFile(file, endpoint, secrets);

    expect(await read(endpoint, "/envtest/staging/DATABASE_URL")).toEqual({
      type: "SecureString",
      value: SECRET,
    });
    expect(await read(endpoint, "/envtest/staging/S3_BUCKET_NAME")).toEqual({
      type: "String",
      value: "envtest-assets",
    });
    expect(await read(endpoint, "/envtest/staging/PORT")).toEqual({ type: "String", value: "8080" });
    const tags = await ssm(endpoint).send(
      new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: "/envtest/staging/PORT" }),
    );
    expect(tags.TagList).toEqual(
      expect.arrayContaining([
        { Key: "parity:environment", Value: "envtest" },
        { Key: "parity:address", Value: "appEnv.values.PORT" },
      ]),
    );

    const again = await planFile(file, endpoint, secrets);
    expect(actions(again.plan)).toEqual([]);
    expect(change(again.plan, "appEnv.values.DATABASE_URL").after).toMatchObject({
      value: { $sensitive: true, changed: false },
    });
    again.ctx.destroy();

    // A plain value edited by hand: exactly that key, with both values shown.
    await put(endpoint, "/envtest/staging/CORS_ORIGINS", "https://evil.example.com");
    const plainDrift = await planFile(file, endpoint, secrets);
    expect(actions(plainDrift.plan)).toEqual(["update appEnv.values.CORS_ORIGINS"]);
    expect(change(plainDrift.plan, "appEnv.values.CORS_ORIGINS").attributes).toEqual([
      expect.objectContaining({
        path: "value",
        before: "https://evil.example.com",
        after: "https://app.example.com",
        sensitive: false,
      }),
    ]);
    plainDrift.ctx.destroy();
    await applyFile(file, endpoint, secrets);
    expect(await read(endpoint, "/envtest/staging/CORS_ORIGINS")).toEqual({
      type: "String",
      value: "https://app.example.com",
    });

    // A secret edited by hand: the plan says that it differs, and neither value appears anywhere in it.
    await put(endpoint, "/envtest/staging/DATABASE_URL", TAMPERED, "SecureString");
    const secretDrift = await planFile(file, endpoint, secrets);
    expect(actions(secretDrift.plan)).toEqual(["update appEnv.values.DATABASE_URL"]);
    expect(change(secretDrift.plan, "appEnv.values.DATABASE_URL").attributes).toEqual([
      {
        path: "value",
        before: { $sensitive: true },
        after: { $sensitive: true, changed: true },
        forcesReplacement: false,
        sensitive: true,
      },
    ]);
    expect(leaks(secretDrift.plan, SECRET, TAMPERED)).toEqual([]);
    expect(leaks(secretDrift.observed, SECRET, TAMPERED)).toEqual([]);
    secretDrift.ctx.destroy();
    await applyFile(file, endpoint, secrets);
    expect(await read(endpoint, "/envtest/staging/DATABASE_URL")).toEqual({
      type: "SecureString",
      value: SECRET,
    });
    const settled = await planFile(file, endpoint, secrets);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();

    // A rotated secret in the environment is a change too.
    const rotated = await planFile(file, endpoint, { ENVTEST_DATABASE_URL: ROTATED });
    expect(actions(rotated.plan)).toEqual(["update appEnv.values.DATABASE_URL"]);
    expect(leaks(rotated.plan, SECRET, ROTATED)).toEqual([]);
    rotated.ctx.destroy();

    // Removal: a dropped key and a key someone added under the managed path are deleted;
    // parameters nested deeper or outside the path are left alone.
    await put(endpoint, "/envtest/staging/LEGACY_FLAG", "on");
    await put(endpoint, "/envtest/staging/feature/X", "kept");
    await put(endpoint, "/envtest/other/KEEP", "kept");
    writeFileSync(file, FILE.replace("    CORS_ORIGINS: https://app.example.com\n", ""));
    const removal = await planFile(file, endpoint, secrets);
    expect(actions(removal.plan).sort()).toEqual([
      "delete appEnv.values.CORS_ORIGINS",
      "delete appEnv.values.LEGACY_FLAG",
    ]);
    expect(change(removal.plan, "appEnv.values.LEGACY_FLAG").notes).toEqual([
      "not in the file, and under the managed path /envtest/staging/",
    ]);
    expect(change(removal.plan, "appEnv.values.CORS_ORIGINS").notes).toEqual([
      "under the managed path /envtest/staging/",
    ]);
    removal.ctx.destroy();
    await applyFile(file, endpoint, secrets);
    expect(await namesUnder(endpoint, "/envtest/")).toEqual([
      "/envtest/other/KEEP",
      "/envtest/staging/DATABASE_URL",
      "/envtest/staging/PORT",
      "/envtest/staging/S3_BUCKET_NAME",
      "/envtest/staging/feature/X",
    ]);
    const done = await planFile(file, endpoint, secrets);
    expect(actions(done.plan)).toEqual([]);
    done.ctx.destroy();
  });

  it("adopts existing untagged keys, and moves every key when the path changes", async () => {
    const endpoint = emulator().endpoint;
    await put(endpoint, "/envtest/staging/CORS_ORIGINS", "https://app.example.com");
    await put(endpoint, "/envtest/staging/DATABASE_URL", SECRET, "SecureString");
    const file = writeEnvironment(`
environment: envtest
region: us-west-1
appEnv:
  path: /envtest/staging
  values:
    CORS_ORIGINS: https://app.example.com
    DATABASE_URL: { secret: true, fromEnv: ENVTEST_DATABASE_URL }
`);
    const plan = await planFile(file, endpoint, secrets);
    expect(actions(plan.plan)).toEqual([
      "adopt appEnv.values.CORS_ORIGINS",
      "adopt appEnv.values.DATABASE_URL",
    ]);
    // Same values: adopting only tags them.
    expect(plan.plan.changes.flatMap((c) => c.attributes)).toEqual([]);
    plan.ctx.destroy();
    await applyFile(file, endpoint, secrets);
    const again = await planFile(file, endpoint, secrets);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    writeFileSync(
      file,
      (await import("node:fs")).readFileSync(file, "utf8").replace("/envtest/staging", "/envtest/v2/"),
    );
    const moved = await planFile(file, endpoint, secrets);
    expect(actions(moved.plan).sort()).toEqual([
      "create appEnv.values.CORS_ORIGINS",
      "create appEnv.values.DATABASE_URL",
      "delete appEnv.values.CORS_ORIGINS (/envtest/staging/CORS_ORIGINS)",
      "delete appEnv.values.DATABASE_URL (/envtest/staging/DATABASE_URL)",
    ]);
    expect(change(moved.plan, "appEnv.values.CORS_ORIGINS (/envtest/staging/CORS_ORIGINS)").notes).toEqual([
      "left under /envtest/staging/, outside the current appEnv.path",
    ]);
    expect(leaks(moved.plan, SECRET)).toEqual([]);
    moved.ctx.destroy();
    await applyFile(file, endpoint, secrets);
    expect(await namesUnder(endpoint, "/envtest/")).toEqual([
      "/envtest/v2/CORS_ORIGINS",
      "/envtest/v2/DATABASE_URL",
    ]);
    expect(await read(endpoint, "/envtest/v2/DATABASE_URL")).toEqual({ type: "SecureString", value: SECRET });
  });

  it("validates and plans without a secret's variable, and apply refuses it before any change", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const { loaded, diagnostics } = load(file, { secrets: { OTHER: SECRET } });
    expect(loaded).toBeDefined();
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);

    const shown = await parity(["plan", file], { endpoint });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("(sensitive, from $ENVTEST_DATABASE_URL)");

    const refused = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("$ENVTEST_DATABASE_URL is not set");
    expect(await namesUnder(endpoint, "/envtest/")).toEqual([]);
    expect(leaks([shown.stdout, refused.stdout, refused.stderr], SECRET)).toEqual([]);

    const applied = await parity(["apply", file, "--auto-approve", "--no-checks"], {
      endpoint,
      env: secrets,
    });
    expect(applied.code).toBe(0);
    expect(await read(endpoint, "/envtest/staging/DATABASE_URL")).toEqual({
      type: "SecureString",
      value: SECRET,
    });
  });

  // A path with few keys is read whole (GetParametersByPath); one with many by name beside its
  // values (DescribeParameters and GetParameters): both must see the same things.
  it.each([3, 35])(
    "with %i keys, re-plans clean, reverts a hand edit and removes a key added by hand",
    async (count) => {
      const endpoint = emulator().endpoint;
      const keys = Array.from(
        { length: count },
        (_, i) => `    KEY_${String(i).padStart(2, "0")}: value-${i}`,
      );
      const path = writeEnvironment(
        `environment: envtest\nregion: us-west-1\nappEnv:\n  path: /many/staging/\n  values:\n${keys.join("\n")}\n`,
      );
      await applyFile(path, endpoint);
      expect(actions((await planFile(path, endpoint)).plan)).toEqual([]);

      await put(endpoint, "/many/staging/KEY_01", "edited by hand");
      await put(endpoint, "/many/staging/ADDED_BY_HAND", "stray");
      expect(actions((await planFile(path, endpoint)).plan)).toEqual([
        "update appEnv.values.KEY_01",
        "delete appEnv.values.ADDED_BY_HAND",
      ]);
      await applyFile(path, endpoint);
      expect(await read(endpoint, "/many/staging/KEY_01")).toEqual({ type: "String", value: "value-1" });
      const names = await namesUnder(endpoint, "/many/staging/");
      expect(names).toHaveLength(count);
      expect(names).not.toContain("/many/staging/ADDED_BY_HAND");
    },
  );
});
