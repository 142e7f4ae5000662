import { describe, expect, it } from "vitest";
import { changeOf as change, golden, planOf } from "../support/plans.js";
import { renderPlanMarkdown } from "../../src/render/markdown.js";

const attr = (path: string, before: unknown, after: unknown, extra: object = {}) => ({
  path,
  before: before as never,
  after: after as never,
  forcesReplacement: false,
  sensitive: false,
  ...extra,
});

const MIGRATION = planOf(
  [
    change({
      address: "loadBalancers.web.listeners[443]",
      kind: "listeners",
      action: "create",
      after: { port: 443, protocol: "HTTPS", forward: { $unknown: "targetGroups.web.arn" } },
    }),
    change({
      address: "targetGroups.web",
      action: "update",
      id: "arn:tg",
      attributes: [attr("healthCheck.path", "/", "/health"), attr("stickiness.durationSeconds", 3600, 86400)],
    }),
    change({
      address: "databases.main",
      action: "replace",
      reason: "restoreFrom changed",
      protected: true,
      risks: ["data-loss"],
      expectedSeconds: 900,
      attributes: [attr("restoredFrom", undefined, "khorium-webdev-db", { forcesReplacement: true })],
      notes: ["snapshot khorium-webdev-db, then restore khorium-staging-db from it"],
    }),
    change({
      address: "appEnv.values.DATABASE_URL",
      kind: "parameters",
      action: "update",
      attributes: [
        attr("value", { $sensitive: true }, { $sensitive: true, changed: true }, { sensitive: true }),
      ],
    }),
    change({
      address: "securityGroups.old",
      action: "delete",
      id: "sg-0ffff",
      reason: "no longer in the file",
    }),
    change({ address: "securityGroups.alb", action: "no-op" }),
  ],
  [
    {
      severity: "warning",
      location: { file: "staging.yaml", line: 12, column: 5 },
      path: "securityGroups.app.ingress",
      message: "SSH is open to the world | 0.0.0.0/0",
    },
  ],
);

describe("markdown renderer", () => {
  it("renders a plan for a pull-request comment", () =>
    golden("migration.md", renderPlanMarkdown(MIGRATION, { file: "environments/staging.yaml" })));

  it("renders No changes", () =>
    golden(
      "no-changes.md",
      renderPlanMarkdown(planOf([change({ address: "securityGroups.alb", action: "no-op" })]), {
        file: "staging.yaml",
      }),
    ));

  it("puts risks before the table, and escapes table cells", () => {
    const text = renderPlanMarkdown(MIGRATION);
    expect(text.indexOf("Risk data-loss: databases.main")).toBeGreaterThan(0);
    expect(text.indexOf("Risk data-loss")).toBeLessThan(text.indexOf("| action | address | details |"));
    expect(text).toContain("| **replace** | `databases.main` |");
    expect(text).toContain("SSH is open to the world | 0.0.0.0/0");
    for (const row of text.split("\n").filter((l) => l.startsWith("| "))) {
      expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(5);
    }
  });

  it("never shows a secret: the plan data is masked and rendered as (sensitive, …)", () => {
    const text = renderPlanMarkdown(MIGRATION);
    expect(text).toContain("~ value: (sensitive, unchanged) → (sensitive, changed)");
    expect(text).not.toContain("$sensitive");
  });
});
