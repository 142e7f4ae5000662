import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan.js";
import { addressMatches, targetPlan } from "../../src/engine/targeting.js";
import type { DesiredNode, Plan } from "../../src/model/index.js";
import { ENV, fakeType, node, observed } from "./fakes.js";

const types = new Map(
  ["securityGroups", "instances", "targetGroups", "loadBalancers", "listeners"].map((t) => [t, fakeType(t)]),
);

const listener: DesiredNode = {
  ...node("loadBalancers.web.listeners[443]", { port: 443 }, ["loadBalancers.web", "targetGroups.web"]),
  type: "listeners",
  group: "loadBalancers.web.listeners[443]",
};

const NODES: DesiredNode[] = [
  node("securityGroups.alb", { name: "alb" }),
  node("securityGroups.app", { name: "app" }, ["securityGroups.alb"]),
  node("securityGroups.db", { name: "db" }),
  node("instances.web[0]", { name: "web-0" }, ["securityGroups.app"]),
  node("instances.web[1]", { name: "web-1" }, ["securityGroups.app"]),
  node("targetGroups.web", { name: "tg" }, ["instances.web"]),
  node("loadBalancers.web", { name: "lb" }, ["securityGroups.alb"]),
  listener,
];

/** securityGroups.db exists as the file says; instances.old is ours but gone from the file. */
const LIVE = [observed("securityGroups.db", { name: "db" }), observed("instances.old", { name: "old" })];

function basePlan(live = LIVE): Plan {
  return computePlan({ env: ENV, nodes: NODES, observed: live, facts: {}, types }).plan;
}

function addresses(plan: Plan): string[] {
  return plan.changes.map((c) => `${c.action} ${c.address}`);
}

function target(targets: string[], excludes: string[] = [], plan = basePlan()) {
  const result = targetPlan(plan, NODES, targets, excludes);
  return { changes: addresses(result.plan), warnings: result.warnings.map((w) => w.message), result };
}

describe("addressMatches", () => {
  it.each([
    ["instances", "instances.web[0]", true],
    ["instances.web", "instances.web", true],
    ["instances.web", "instances.web[1]", true],
    ["instances.web", "instances.webby", false],
    ["instances.web[0]", "instances.web[1]", false],
    ["loadBalancers.web", "loadBalancers.web.listeners[443]", true],
    ["loadBalancers.web.listeners[443]", "loadBalancers.web", false],
    ["securityGroups.app", "securityGroups.app (sg-2)", true],
    ["securityGroups", "securityGroupsX.a", false],
  ])("%s covers %s: %s", (pattern, address, expected) => {
    expect(addressMatches(pattern, address)).toBe(expected);
  });
});

describe("targetPlan", () => {
  it("returns the plan untouched without --target or --exclude", () => {
    const plan = basePlan();
    expect(targetPlan(plan, NODES, [], [])).toEqual({ plan, warnings: [] });
  });

  it("a resource target takes its members and, transitively, what they depend on", () => {
    const { changes, warnings } = target(["instances.web"]);
    expect(changes).toEqual([
      "create securityGroups.alb",
      "create securityGroups.app",
      "create instances.web[0]",
      "create instances.web[1]",
    ]);
    expect(warnings).toEqual([
      "targeting instances.web also includes securityGroups.app (a dependency)",
      "targeting instances.web also includes securityGroups.alb (a dependency)",
    ]);
  });

  it("a kind target includes the kind's deletions; a resource target does not take others' deletes", () => {
    expect(target(["instances"]).changes).toEqual([
      "create securityGroups.alb",
      "create securityGroups.app",
      "create instances.web[0]",
      "create instances.web[1]",
      "delete instances.old",
    ]);
    expect(target(["instances.old"]).changes).toEqual(["delete instances.old"]);
    expect(target(["instances.old"]).warnings).toEqual([]);
  });

  it("a resource target takes its sub-nodes, and their dependencies", () => {
    const { changes, warnings } = target(["loadBalancers.web"]);
    expect(changes).toEqual([
      "create securityGroups.alb",
      "create securityGroups.app",
      "create instances.web[0]",
      "create instances.web[1]",
      "create targetGroups.web",
      "create loadBalancers.web",
      "create loadBalancers.web.listeners[443]",
    ]);
    expect(warnings).toEqual([
      "targeting loadBalancers.web also includes securityGroups.alb (a dependency)",
      "targeting loadBalancers.web also includes targetGroups.web (a dependency)",
      "targeting loadBalancers.web also includes instances.web (a dependency)",
      "targeting loadBalancers.web also includes securityGroups.app (a dependency)",
    ]);
  });

  it("a node target takes that node only, not its siblings", () => {
    expect(target(["instances.web[1]"]).changes).toEqual([
      "create securityGroups.alb",
      "create securityGroups.app",
      "create instances.web[1]",
    ]);
  });

  it("names a widening only when the dependency has something to do", () => {
    const { changes, warnings } = target(["securityGroups.db", "securityGroups.app"]);
    expect(changes).toEqual([
      "create securityGroups.alb",
      "create securityGroups.app",
      "no-op securityGroups.db",
    ]);
    expect(warnings).toEqual([
      "targeting securityGroups.app also includes securityGroups.alb (a dependency)",
    ]);
  });

  it("recomputes the summary", () => {
    expect(target(["instances"]).result.plan.summary).toEqual({
      add: 4,
      change: 0,
      destroy: 1,
      replace: 0,
      adopt: 0,
    });
  });

  it("--exclude removes matching changes and warns about dependents left behind", () => {
    const { changes, warnings, result } = target([], ["securityGroups.alb", "instances"]);
    expect(changes).toEqual([
      "create securityGroups.app",
      "no-op securityGroups.db",
      "create targetGroups.web",
      "create loadBalancers.web",
      "create loadBalancers.web.listeners[443]",
    ]);
    expect(warnings).toEqual([
      "excluding securityGroups.alb, a dependency of securityGroups.app, loadBalancers.web, which stay in the plan",
      "excluding instances.web, a dependency of targetGroups.web, which stays in the plan",
    ]);
    expect(result.warnings.every((w) => w.severity === "warning")).toBe(true);
  });

  it("--exclude wins over a target's dependency, and says so", () => {
    const { changes, warnings } = target(["instances.web"], ["securityGroups.alb"]);
    expect(changes).toEqual([
      "create securityGroups.app",
      "create instances.web[0]",
      "create instances.web[1]",
    ]);
    expect(warnings).toEqual([
      "targeting instances.web also includes securityGroups.app (a dependency)",
      "excluding securityGroups.alb, a dependency of securityGroups.app, which stays in the plan",
    ]);
  });

  it("excluding something with nothing to do is silent", () => {
    expect(target([], ["securityGroups.db"]).warnings).toEqual([]);
  });

  it("matches a duplicate's delete by its address", () => {
    const live = [
      ...LIVE,
      observed("securityGroups.alb", { name: "alb" }),
      observed("securityGroups.alb", { name: "alb" }, { id: "sg-2" }),
    ];
    expect(target(["securityGroups.alb"], [], basePlan(live)).changes).toEqual([
      "no-op securityGroups.alb",
      "delete securityGroups.alb (sg-2)",
    ]);
  });

  it("warns, suggesting the closest address, when a pattern matches nothing", () => {
    const { changes, result } = target(["instances.wbe"], ["targetGroup"]);
    expect(changes).toEqual([]);
    expect(result.warnings).toEqual([
      {
        severity: "warning",
        message: "--target instances.wbe matches nothing in the file or the account",
        hint: "did you mean instances.web?",
      },
      {
        severity: "warning",
        message: "--exclude targetGroup matches nothing in the file or the account",
        hint: "did you mean targetGroups.web?",
      },
    ]);
  });
});
