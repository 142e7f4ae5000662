import { describe, expect, it } from "vitest";
import { changeOf } from "../support/plans.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { EnvironmentInfo, Operation } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../src/model/index.js";
import { appEnv, parameterType } from "../../src/providers/aws/appEnv/index.js";
import { rememberLiveSecret } from "../../src/providers/aws/appEnv/live.js";
import { keyUnder, normalisePath, scrubbed } from "../../src/providers/aws/appEnv/values.js";
import type { AwsContext } from "../../src/providers/aws/context.js";

const SECRET = "postgres://app:pa55-unit@db:5432/app";

function env(secrets: { [name: string]: string | undefined }): EnvironmentInfo {
  return { environment: "staging", region: "us-west-1", tags: {}, secrets };
}

const SPEC = {
  path: "/khorium/staging",
  values: {
    CORS_ORIGINS: "https://app.khorium.ai",
    S3_BUCKET_NAME: "${buckets.assets.name}",
    WORKERS: 4,
    DATABASE_URL: { secret: true, fromEnv: "STAGING_DATABASE_URL" },
  },
};

function keyNode(key: string): DesiredNode {
  const partial = appEnv.expand("appEnv", SPEC, env({})).find((n) => n.address === `appEnv.values.${key}`);
  if (!partial) throw new Error(`no node for ${key}`);
  return { ...partial, dependsOn: [], protect: false };
}

function liveSecretNode(value: string): ObservedNode {
  const node: ObservedNode = {
    type: "appEnv",
    address: "appEnv.values.DATABASE_URL",
    id: "/khorium/staging/DATABASE_URL",
    managed: true,
    attributes: { name: "/khorium/staging/DATABASE_URL", type: "SecureString", value: { $sensitive: true } },
    outputs: {},
  };
  rememberLiveSecret(node, value);
  return node;
}

describe("appEnv expansion and checks", () => {
  it("expands to one node per key, each its own group, with the normalised path", () => {
    const nodes = appEnv.expand("appEnv", SPEC, env({}));
    expect(nodes.map((n) => [n.address, n.group, n.type])).toEqual([
      ["appEnv.values.CORS_ORIGINS", "appEnv.values.CORS_ORIGINS", "appEnv"],
      ["appEnv.values.S3_BUCKET_NAME", "appEnv.values.S3_BUCKET_NAME", "appEnv"],
      ["appEnv.values.WORKERS", "appEnv.values.WORKERS", "appEnv"],
      ["appEnv.values.DATABASE_URL", "appEnv.values.DATABASE_URL", "appEnv"],
    ]);
    expect(nodes[0]?.spec).toEqual({
      path: "/khorium/staging/",
      key: "CORS_ORIGINS",
      value: "https://app.khorium.ai",
    });
  });

  it("leaves an unset secret variable to apply, and reports an empty one at the key, never a value", () => {
    expect(appEnv.check?.("appEnv", SPEC, env({}))).toEqual([]);
    expect(appEnv.check?.("appEnv", SPEC, env({ STAGING_DATABASE_URL: "" }))?.[0]?.message).toBe(
      "STAGING_DATABASE_URL is empty",
    );
    expect(appEnv.check?.("appEnv", SPEC, env({ STAGING_DATABASE_URL: SECRET }))).toEqual([]);
  });

  it("knows which parameters are keys of the path", () => {
    expect(normalisePath("/a/b")).toBe("/a/b/");
    expect(keyUnder("/a/b/KEY", "/a/b/")).toBe("KEY");
    expect(keyUnder("/a/b/nested/KEY", "/a/b/")).toBeUndefined();
    expect(keyUnder("/a/bc/KEY", "/a/b/")).toBeUndefined();
  });
});

describe("appEnv desired values", () => {
  it("stringifies plain values and interpolates references", () => {
    const resolver = makeResolver(new Map([["buckets.assets", [{ name: "khorium-assets" }]]]), {}, env({}));
    expect(parameterType.desired(keyNode("WORKERS"), resolver, undefined).attributes).toEqual({
      name: "/khorium/staging/WORKERS",
      type: "String",
      value: "4",
    });
    expect(parameterType.desired(keyNode("S3_BUCKET_NAME"), resolver, undefined).attributes.value).toBe(
      "khorium-assets",
    );
  });

  it("compares a secret with the live value without exposing either", () => {
    const resolver = makeResolver(new Map(), {}, env({ STAGING_DATABASE_URL: SECRET }));
    const same = parameterType.desired(keyNode("DATABASE_URL"), resolver, liveSecretNode(SECRET));
    expect(same.attributes.value).toEqual({ $sensitive: true, changed: false });
    expect(same.sensitive).toEqual(["value"]);
    const other = parameterType.desired(keyNode("DATABASE_URL"), resolver, liveSecretNode("something else"));
    expect(other.attributes.value).toEqual({ $sensitive: true, changed: true });
    expect(JSON.stringify([same, other])).not.toContain(SECRET);
  });
});

describe("secrets never reach an error message", () => {
  it("cuts the secret out of an AWS error that echoes it", async () => {
    const echoing = {
      ssm: {
        send: async (command: { input: { Value?: string } }) => {
          throw Object.assign(new Error(`Value '${command.input.Value}' failed to satisfy constraint`), {
            name: "ValidationException",
          });
        },
      },
    } as unknown as AwsContext;
    const node = keyNode("DATABASE_URL");
    const op = {
      change: changeOf({ address: node.address, kind: "appEnv", group: node.group, action: "create" }),
      node,
      desired: {
        name: "/khorium/staging/DATABASE_URL",
        type: "SecureString",
        value: { $sensitive: true, changed: true } as Value,
      },
      env: env({ STAGING_DATABASE_URL: SECRET }),
      facts: {},
      resolver: makeResolver(new Map(), {}, env({ STAGING_DATABASE_URL: SECRET })),
      progress: () => {},
      signal: new AbortController().signal,
    } as Operation;
    const failure = await parameterType.create(echoing, op).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toBe("Value '(sensitive)' failed to satisfy constraint");
    expect(failure?.name).toBe("ValidationException");
    expect(failure?.stack ?? "").not.toContain(SECRET);
  });

  it("scrubs every occurrence", () => {
    expect(scrubbed(new Error("a=xyz b=xyz"), ["xyz"]).message).toBe("a=(sensitive) b=(sensitive)");
  });
});
