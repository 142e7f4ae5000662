import { describe, expect, it } from "vitest";
import { creationOrder, findCycle, groupOf } from "../../src/engine/graph.js";
import { dependencies } from "../../src/engine/apply.js";
import type { Change } from "../../src/model/index.js";
import { node } from "./fakes.js";

describe("dependency graph", () => {
  it("orders every node after what it references, keeping file order otherwise", () => {
    const order = creationOrder([
      node("loadBalancers.web", {}, ["securityGroups.alb", "targetGroups.web"]),
      node("targetGroups.web", {}, ["instances.web"]),
      node("instances.web[0]", {}, ["securityGroups.app"]),
      node("instances.web[1]", {}, ["securityGroups.app"]),
      node("securityGroups.alb", {}),
      node("securityGroups.app", {}, ["securityGroups.alb"]),
    ]).map((n) => n.address);
    expect(order).toEqual([
      "securityGroups.alb",
      "securityGroups.app",
      "instances.web[0]",
      "instances.web[1]",
      "targetGroups.web",
      "loadBalancers.web",
    ]);
  });

  it("finds a cycle and names it", () => {
    const edges = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
    ]);
    expect(findCycle(edges)).toEqual(["a", "b", "c", "a"]);
    expect(findCycle(new Map([["a", ["b"]]]))).toBeUndefined();
  });

  it("groups count members under their config address", () => {
    expect(groupOf("instances.web[3]")).toBe("instances.web");
    expect(groupOf("targetGroups.web")).toBe("targetGroups.web");
  });
});

function change(address: string, action: Change["action"], kind: string, dependsOn: string[] = []): Change {
  return {
    address,
    kind,
    group: groupOf(address),
    action,
    before: null,
    after: null,
    attributes: [],
    dependsOn,
    protected: false,
    risks: [],
    notes: [],
  };
}

describe("apply ordering", () => {
  const order = ["securityGroups", "instances", "targetGroups", "loadBalancers"];

  it("deregisters (updates the target group) before terminating a member", () => {
    const deps = dependencies(
      [
        change("targetGroups.web", "update", "targetGroups", ["instances.web"]),
        change("instances.web[1]", "delete", "instances"),
      ],
      order,
    );
    expect(deps.get("instances.web[1]")).toEqual(["targetGroups.web"]);
    expect(deps.get("targetGroups.web")).toEqual([]);
  });

  it("deletes in reverse registry order", () => {
    const deps = dependencies(
      [
        change("securityGroups.alb", "delete", "securityGroups"),
        change("loadBalancers.web", "delete", "loadBalancers"),
      ],
      order,
    );
    expect(deps.get("securityGroups.alb")).toEqual(["loadBalancers.web"]);
    expect(deps.get("loadBalancers.web")).toEqual([]);
  });
});
