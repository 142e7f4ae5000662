import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { tempDir } from "../support/harness.js";
import { describe, expect, it } from "vitest";
import { makeResolver } from "../../src/engine/resolver.js";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../src/model/index.js";
import { unknown } from "../../src/model/index.js";
import { appEnv } from "../../src/providers/aws/appEnv/index.js";
import { desiredDelivery } from "../../src/providers/aws/appEnv/delivery/desired.js";
import { deliveryScript, shellQuote } from "../../src/providers/aws/appEnv/delivery/script.js";
import { deliverySpec } from "../../src/providers/aws/appEnv/delivery/schema.js";

const ENV: EnvironmentInfo = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };

const BLOCK = {
  path: "/khorium/staging",
  values: {
    CORS_ORIGINS: "https://app.khorium.ai",
    DATABASE_URL: { secret: true, fromEnv: "STAGING_DATABASE_URL" },
  },
  deliver: {
    to: "instances.web",
    file: "/home/ec2-user/backend/backend/.env",
    owner: "ec2-user",
    restart: "sudo systemctl restart gunicorn",
  },
};

function deliveryNode(block: { [key: string]: Value } = BLOCK): DesiredNode {
  const partial = appEnv.expand("appEnv", block, ENV).find((n) => n.address === "appEnv.deliver");
  if (!partial) throw new Error("no delivery node");
  return { ...partial, dependsOn: partial.dependsOn ?? [], protect: false };
}

/** Outputs as the plan knows them: instance members and each key's version. */
function resolver(members: { [key: string]: Value }[], versions: { [key: string]: Value }) {
  const groups = new Map<string, { [key: string]: Value }[]>([["instances.web", members]]);
  for (const [key, version] of Object.entries(versions))
    groups.set(`appEnv.values.${key}`, [{ name: `/khorium/staging/${key}`, version }]);
  return makeResolver(groups, {}, ENV);
}

function observed(delivered: { [id: string]: string }): ObservedNode {
  return {
    type: "appEnvDelivery",
    address: "appEnv.deliver",
    id: "appEnv.deliver",
    managed: true,
    attributes: { delivered },
    outputs: {},
  };
}

describe("appEnv.deliver", () => {
  it("expands to one node after every key, naming the secrets' variables but not their values", () => {
    const node = deliveryNode();
    expect(node.dependsOn).toEqual(["appEnv.values.CORS_ORIGINS", "appEnv.values.DATABASE_URL"]);
    expect(deliverySpec(node)).toMatchObject({
      path: "/khorium/staging/",
      keys: ["CORS_ORIGINS", "DATABASE_URL"],
      secretsFrom: ["STAGING_DATABASE_URL"],
    });
    expect(appEnv.expand("appEnv", { path: "/a/", values: { X: "1" } }, ENV)).toHaveLength(1);
  });

  it("plans no delivery when every member holds the digest of the current versions", () => {
    const node = deliveryNode();
    const members = [{ id: "i-0aaa" }, { id: "i-0bbb" }];
    const first = desiredDelivery(node, resolver(members, { CORS_ORIGINS: 3, DATABASE_URL: 1 }), undefined);
    const digest = (first.attributes.delivered as { [id: string]: string })["i-0aaa"] as string;
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
    const same = desiredDelivery(
      node,
      resolver(members, { CORS_ORIGINS: 3, DATABASE_URL: 1 }),
      observed({ "i-0aaa": digest, "i-0bbb": digest }),
    );
    expect(same.notes).toEqual([]);
    // Another version of one key is another digest, for every member.
    const bumped = desiredDelivery(node, resolver(members, { CORS_ORIGINS: 4, DATABASE_URL: 1 }), undefined);
    expect((bumped.attributes.delivered as { [id: string]: string })["i-0aaa"]).not.toBe(digest);
  });

  it("is unknown while a key is still to be written, and names new members by address", () => {
    const node = deliveryNode();
    const state = desiredDelivery(
      node,
      resolver([{ id: "i-0aaa" }, {}], { CORS_ORIGINS: unknown("version"), DATABASE_URL: 1 }),
      observed({ "i-0aaa": "0123456789abcdef" }),
    );
    expect(state.attributes).toEqual({
      delivered: {
        "i-0aaa": { $unknown: "appEnv.deliver.digest" },
        "instances.web[1]": { $unknown: "appEnv.deliver.digest" },
      },
    });
    expect(state.notes).toEqual([
      "deliver /home/ec2-user/backend/backend/.env (owner ec2-user, mode 0600) to i-0aaa, instances.web[1] (new) through SSM Run Command, then run `sudo systemctl restart gunicorn`",
    ]);
  });

  it("renders a script that names parameters, in key order, and restarts last", () => {
    const script = deliveryScript(deliverySpec(deliveryNode()), "us-west-1");
    expect(script.filter((l) => l.startsWith("line "))).toEqual([
      "line CORS_ORIGINS '/khorium/staging/CORS_ORIGINS'",
      "line DATABASE_URL '/khorium/staging/DATABASE_URL'",
    ]);
    expect(script.at(-1)).toBe("sudo systemctl restart gunicorn");
    expect(script.join("\n")).not.toContain("https://app.khorium.ai");
  });

  it("writes the file on the instance from what Parameter Store answers, then restarts", () => {
    // An instance stand-in: an `aws` that answers get-parameter from a table, as the CLI would.
    const dir = tempDir();
    const bin = join(dir, "bin");
    mkdirSync(bin);
    mkdirSync(join(dir, "app"));
    writeFileSync(
      join(bin, "aws"),
      [
        "#!/bin/sh",
        'while [ "$1" != "--name" ]; do shift; done',
        'case "$2" in',
        "  */CORS_ORIGINS) echo 'https://app.khorium.ai,https://staging.khorium.ai' ;;",
        "  */DATABASE_URL) echo 'postgres://u:p#w@db:5432/app' ;;",
        "  *) exit 254 ;;",
        "esac",
      ].join("\n"),
    );
    chmodSync(join(bin, "aws"), 0o755);
    const file = join(dir, "app", ".env");
    const spec = {
      ...deliverySpec(deliveryNode()),
      file,
      owner: userInfo().username,
      restart: `echo restarted > ${join(dir, "restarted")}`,
    };
    const run = (s: typeof spec) =>
      spawnSync("sh", ["-c", deliveryScript(s, "us-west-1").join("\n")], {
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
        encoding: "utf8",
      });
    const ok = run(spec);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      "CORS_ORIGINS=https://app.khorium.ai,https://staging.khorium.ai\nDATABASE_URL=postgres://u:p#w@db:5432/app\n",
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "restarted"), "utf8")).toBe("restarted\n");

    // A parameter that cannot be read: the old file stays, no temporary file is left, no restart.
    writeFileSync(join(dir, "restarted"), "");
    const failed = run({ ...spec, keys: [...spec.keys, "MISSING"] });
    expect(failed.status).not.toBe(0);
    expect(readFileSync(file, "utf8")).toContain("CORS_ORIGINS=");
    expect(readdirSync(join(dir, "app"))).toEqual([".env"]);
    expect(readFileSync(join(dir, "restarted"), "utf8")).toBe("");
  });

  it("quotes any text as one word for sh", () => {
    const text = `it's "quoted" $HOME \`x\``;
    expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(text)}`], { encoding: "utf8" })).toBe(text);
  });
});
