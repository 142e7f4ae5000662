import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareEnvironments, unknownExpectations } from "../../src/engine/comparison.js";
import type { ComparedEnvironment } from "../../src/engine/comparison.js";
import { groupOf } from "../../src/engine/graph.js";
import { Type, identity } from "../../src/engine/schema.js";
import type { ShapeRules } from "../../src/engine/shape.js";
import type { ObservedNode } from "../../src/model/index.js";
import { renderComparisonJson } from "../../src/render/compareJson.js";
import { renderComparisonMarkdown } from "../../src/render/compareMarkdown.js";
import { renderComparisonText } from "../../src/render/compareText.js";
import { changeOf, golden, planOf } from "../support/plans.js";

const ROOT = join(import.meta.dirname, "../..");

const groupSchema = Type.Object({
  name: Type.String({ ...identity }),
  ingress: Type.Array(Type.Object({ port: Type.Integer(), source: Type.Optional(Type.String()) })),
});
const instanceSchema = Type.Object({
  type: Type.String(),
  securityGroups: Type.Array(Type.String()),
});
const paramSchema = Type.Object({ value: Type.String() });
const rules = new Map<string, ShapeRules>([
  ["securityGroups", { schema: groupSchema }],
  ["instances", { schema: instanceSchema, attributeRoles: { ownership: "identity" } }],
  ["appEnv", { schema: paramSchema }],
]);
const kindOrder = ["securityGroups", "instances", "appEnv"];

function node(
  address: string,
  type: string,
  attributes: ObservedNode["attributes"],
  outputs: ObservedNode["outputs"],
): ObservedNode {
  return { type, address, id: String(outputs.id ?? address), managed: true, attributes, outputs };
}

/** Production and staging wired alike (the app group admits the ALB group), with ids of their own. */
function environment(
  name: string,
  ids: { alb: string; app: string },
  type: string,
  extra: ObservedNode[] = [],
): ComparedEnvironment {
  const observed = [
    node(
      "securityGroups.alb",
      "securityGroups",
      { name: `${name}-alb`, ingress: [{ port: 443 }] },
      { id: ids.alb },
    ),
    node(
      "securityGroups.app",
      "securityGroups",
      { name: `${name}-app`, ingress: [{ port: 8080, source: ids.alb }] },
      { id: ids.app },
    ),
    node(
      "instances.web[0]",
      "instances",
      { type, securityGroups: [ids.app], ownership: `environment ${name}` },
      { id: `i-${name}` },
    ),
    node(
      "appEnv.values.DATABASE_URL",
      "appEnv",
      { value: { $sensitive: true } },
      { name: `/${name}/DATABASE_URL` },
    ),
    ...extra,
  ];
  return {
    file: `${name}.yaml`,
    environment: name,
    region: "us-west-1",
    declared: observed.map((n) => ({
      address: n.address ?? "",
      group: groupOf(n.address ?? ""),
      type: n.type,
    })),
    observed,
    plan: planOf([]),
    expectedDifferences: [],
  };
}

const production = environment("production", { alb: "sg-0aaa", app: "sg-0bbb" }, "t3.small", [
  node(
    "appEnv.values.REDIS_URL",
    "appEnv",
    { value: "redis://prod-redis.cache.amazonaws.com:6379" },
    { name: "/production/REDIS_URL" },
  ),
]);
const staging = environment("staging", { alb: "sg-0ccc", app: "sg-0ddd" }, "t3.micro");

describe("compareEnvironments", () => {
  it("reads ids as addresses, skips identity, and lists each difference once", () => {
    const c = compareEnvironments({ a: production, b: staging, rules, kindOrder });
    expect(c.rows.map((r) => [r.address, r.path, r.gap, r.a, r.b])).toEqual([
      ["instances.web[0]", "type", "differs", "t3.small", "t3.micro"],
      ["appEnv.values.REDIS_URL", undefined, "missing-in-b", "present", "absent"],
    ]);
    expect(c.summary).toEqual({ differences: 2, resources: 2, expected: 0 });
    expect(c.rows[0]?.fix).toBe(
      "set `instances.web.type` (instances.web[0]) to t3.small in staging.yaml, or declare `instances.web[0].type` in expectedDifferences",
    );
  });

  it("moves a row an expectedDifferences entry covers, by group or address", () => {
    const b = {
      ...staging,
      expectedDifferences: [{ path: "instances.web.type", reason: "smaller to save cost" }],
    };
    const c = compareEnvironments({ a: production, b, rules, kindOrder });
    expect(c.expected.map((r) => r.address)).toEqual(["instances.web[0]"]);
    expect(c.expected[0]?.expected).toEqual({
      reason: "smaller to save cost",
      file: "staging.yaml",
      entry: "instances.web.type",
    });
    expect(c.summary).toEqual({ differences: 1, resources: 1, expected: 1 });
  });

  it("says the gap is in the live account when a side's own plan changes the attribute", () => {
    const plan = planOf([
      changeOf({
        address: "instances.web[0]",
        action: "update",
        attributes: [
          { path: "type", before: "t3.micro", after: "t3.small", forcesReplacement: false, sensitive: false },
        ],
      }),
    ]);
    const c = compareEnvironments({ a: production, b: { ...staging, plan }, rules, kindOrder });
    expect(c.b.changes).toBe(1);
    expect(c.rows[0]?.fix).toBe(
      "staging's live value is not what staging.yaml says: run `parity apply staging.yaml`",
    );
  });

  it("compares secrets by key only, and never shows a value", () => {
    const plainSecret = node(
      "appEnv.values.DATABASE_URL",
      "appEnv",
      { value: "postgres://admin:hunter2@db:5432/app" },
      { name: "/staging/DATABASE_URL" },
    );
    const b = {
      ...staging,
      observed: [...staging.observed.filter((n) => !n.address?.endsWith("DATABASE_URL")), plainSecret],
    };
    const c = compareEnvironments({ a: production, b, rules, kindOrder });
    const row = c.rows.find((r) => r.address === "appEnv.values.DATABASE_URL");
    expect([row?.a, row?.b]).toEqual(["(secret)", "(plain text)"]);
    for (const text of [renderComparisonJson(c), renderComparisonText(c), renderComparisonMarkdown(c)]) {
      expect(text).not.toContain("hunter2");
    }
  });

  it("finds expectedDifferences entries that name nothing in either file", () => {
    const entries = [
      { path: "instances.web.type", reason: "ok" },
      { path: "instancs.web", reason: "typo" },
      { path: "appEnv", reason: "a whole kind" },
    ];
    expect(unknownExpectations(entries, [production, staging])).toEqual([1]);
  });
});

describe("comparison renderings", () => {
  const b = {
    ...staging,
    expectedDifferences: [{ path: "instances.web.type", reason: "smaller in staging to save cost" }],
  };
  const c = compareEnvironments({ a: production, b, rules, kindOrder });

  it("renders the table as text and Markdown (golden files)", () => {
    golden("compare.txt", renderComparisonText(c));
    golden("compare.md", renderComparisonMarkdown(c));
  });

  it("renders JSON that the published schema accepts", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas/compare.schema.json"), "utf8")) as object;
    const validate = new Ajv().compile(schema);
    const json = JSON.parse(renderComparisonJson(c)) as { rows: { gap: string }[] };
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    golden("compare.json", renderComparisonJson(c));
    (json.rows[0] as { gap: string }).gap = "gone";
    expect(validate(json)).toBe(false);
  });
});
