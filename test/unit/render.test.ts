import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/index.js";
import { changeOf as change, golden, planOf } from "../support/plans.js";
import { renderPlanJson } from "../../src/render/json.js";
import { renderPlanText } from "../../src/render/text.js";

const MIGRATION = planOf([
  change({
    address: "loadBalancers.web.listeners[443]",
    kind: "listeners",
    action: "create",
    after: {
      port: 443,
      protocol: "HTTPS",
      certificate: "arn:aws:acm:us-west-1:123456789012:certificate/abc",
      forward: { $unknown: "targetGroups.web.arn" },
    },
  }),
  change({
    address: "targetGroups.web",
    action: "update",
    id: "arn:tg",
    attributes: [
      {
        path: "stickiness.durationSeconds",
        before: 3600,
        after: 86400,
        forcesReplacement: false,
        sensitive: false,
      },
    ],
  }),
  change({
    address: "instances.web[0]",
    action: "adopt",
    id: "i-0a1b2c3d4e5f60718",
    reason: "exists untagged as i-0a1b2c3d4e5f60718",
    attributes: [
      {
        path: "securityGroups",
        before: ["sg-open"],
        after: ["sg-app"],
        forcesReplacement: false,
        sensitive: false,
      },
    ],
  }),
  change({
    address: "databases.main",
    action: "replace",
    reason: "restoreFrom changed",
    protected: true,
    risks: ["data-loss"],
    expectedSeconds: 900,
    attributes: [
      {
        path: "restoredFrom",
        before: undefined,
        after: "khorium-webdev-db",
        forcesReplacement: true,
        sensitive: false,
      },
    ],
    notes: ["snapshot khorium-webdev-db, then restore khorium-staging-db from it"],
  }),
  change({
    address: "appEnv.values.DATABASE_URL",
    kind: "parameters",
    action: "update",
    attributes: [
      {
        path: "value",
        before: { $sensitive: true },
        after: { $sensitive: true, changed: true },
        forcesReplacement: false,
        sensitive: true,
      },
    ],
  }),
  change({
    address: "instances.web[2]",
    kind: "instances",
    action: "delete",
    id: "i-0ffff",
    reason: "no longer in the file",
    risks: ["downtime"],
  }),
  change({ address: "securityGroups.alb", action: "no-op" }),
]);

describe("text renderer", () => {
  it("renders a migration plan", () =>
    golden("migration.txt", renderPlanText(MIGRATION, { file: "staging.yaml" })));
  it("renders No changes", () =>
    golden(
      "no-changes.txt",
      renderPlanText(planOf([change({ address: "securityGroups.alb", action: "no-op" })]), {
        file: "staging.yaml",
      }),
    ));
  it("never prints a secret, even one that leaked into a value", () => {
    const text = renderPlanText(MIGRATION);
    expect(text).toContain("(sensitive, unchanged) → (sensitive, changed)");
  });
});

describe("JSON renderer", () => {
  it("writes the published shape", () => {
    const parsed = JSON.parse(renderPlanJson(MIGRATION)) as Plan;
    expect(Object.keys(parsed)).toEqual([
      "formatVersion",
      "environment",
      "region",
      "changes",
      "summary",
      "warnings",
    ]);
    expect(parsed.summary).toEqual({ add: 1, change: 2, destroy: 1, replace: 1, adopt: 1 });
    golden("migration.json", renderPlanJson(MIGRATION));
  });
});

describe("replacing what parity did not create", () => {
  it("reads in the delete colour, risks first", () => {
    const marked = (name: string) => (text: string) => `<${name}>${text}</${name}>`;
    const palette = {
      add: marked("add"),
      change: marked("change"),
      remove: marked("red"),
      replace: marked("replace"),
      note: marked("note"),
      bold: marked("bold"),
      dim: marked("dim"),
    };
    const plan = planOf([
      change({
        address: "targetGroups.web",
        action: "replace",
        id: "arn:hand",
        reason: "port changed; parity did not create arn:hand",
        risks: ["unmanaged"],
      }),
    ]);
    const text = renderPlanText(plan, { palette });
    expect(text).toContain("<bold>Risk unmanaged: targetGroups.web</bold>");
    expect(text).toContain(
      "<replace>  # targetGroups.web must be replaced (port changed; parity did not create arn:hand)</replace><bold></bold><red>  [unmanaged]</red>",
    );
  });
});
