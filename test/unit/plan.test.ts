import { describe, expect, it } from "vitest";
import { compareAttributes, sameValue } from "../../src/engine/compare.js";
import { computePlan } from "../../src/engine/plan.js";
import type { ObservedNode } from "../../src/model/index.js";
import { ENV, fakeType, node, observed } from "./fakes.js";

const types = new Map([
  ["groups", fakeType("groups", { replaceOn: ["vpc"] })],
  ["things", fakeType("things")],
]);

function plan(nodes: ReturnType<typeof node>[], live: ObservedNode[]) {
  return computePlan({ env: ENV, nodes, observed: live, facts: {}, types }).plan;
}

describe("sameValue: domain equality in one place", () => {
  it.each([
    ["numbers equal numeric strings, as AWS returns them", 10, "10", true],
    ["object key order is irrelevant", { a: 1, b: 2 }, { b: 2, a: 1 }, true],
    ["list order matters (types sort sets themselves)", [1, 2], [2, 1], false],
    ["an unknown never equals anything", { $unknown: "x" }, { $unknown: "x" }, false],
    ["an unchanged secret equals an unchanged secret", { $sensitive: true }, { $sensitive: true }, true],
    ["a changed secret differs", { $sensitive: true, changed: true }, { $sensitive: true }, false],
    ["null is not an empty string", null, "", false],
  ])("%s", (_reason, a, b, equal) => {
    expect(sameValue(a as never, b as never)).toBe(equal);
  });
});

describe("compareAttributes", () => {
  it("compares only what the file sets, down to leaf paths", () => {
    const changes = compareAttributes(
      { healthCheck: { path: "/health" } },
      { healthCheck: { path: "/", intervalSeconds: 30, healthyThreshold: 5 }, deregistrationDelay: 300 },
      { replaceOn: [] },
    );
    expect(changes).toEqual([
      { path: "healthCheck.path", before: "/", after: "/health", forcesReplacement: false, sensitive: false },
    ]);
  });

  it("marks replacement by path prefix", () => {
    const [change] = compareAttributes(
      { network: { vpc: "b" } },
      { network: { vpc: "a" } },
      { replaceOn: ["network"] },
    );
    expect(change?.forcesReplacement).toBe(true);
  });
});

describe("computePlan: one action per case", () => {
  it.each([
    ["nothing live → create", [], "create"],
    ["same attributes, managed → no-op", [observed("things.a", { name: "a", size: 1 })], "no-op"],
    ["attribute differs → update", [observed("things.a", { name: "a", size: 2 })], "update"],
    [
      "found by name, untagged → adopt",
      [observed("things.a", { name: "a", size: 1 }, { managed: false })],
      "adopt",
    ],
  ])("%s", (_reason, live, action) => {
    const result = plan([node("things.a", { name: "a", size: 1 })], live);
    expect(result.changes.map((c) => c.action)).toEqual([action]);
  });

  it("replaces when a replacement attribute changes, naming it in the reason", () => {
    const result = plan(
      [node("groups.a", { name: "a", vpc: "vpc-2" })],
      [observed("groups.a", { name: "a", vpc: "vpc-1" })],
    );
    expect(result.changes[0]).toMatchObject({ action: "replace", reason: "vpc changed" });
    expect(result.changes[0]?.attributes).toEqual([
      { path: "vpc", before: "vpc-1", after: "vpc-2", forcesReplacement: true, sensitive: false },
    ]);
  });

  it("refuses to replace what parity adopted but did not create, naming what forces it", () => {
    const result = computePlan({
      env: ENV,
      nodes: [
        {
          ...node("groups.a", { name: "a", vpc: "vpc-2" }),
          location: { file: "s.yaml", line: 4, column: 3 },
        },
      ],
      observed: [observed("groups.a", { name: "a", vpc: "vpc-1" }, { managed: false, id: "g-hand" })],
      facts: {},
      types,
    });
    expect(result.errors).toEqual([
      {
        severity: "error",
        location: { file: "s.yaml", line: 4, column: 3 },
        path: "groups.a",
        message: "would replace g-hand, which parity did not create (vpc differ)",
        hint: "make the file match the live resource, or add `replaceUnmanaged: true` to this entry to let parity destroy and re-create it",
      },
    ]);
  });

  it("replaces an adopted resource when the entry opts in, and marks the change unmanaged", () => {
    const result = computePlan({
      env: ENV,
      nodes: [{ ...node("groups.a", { name: "a", vpc: "vpc-2" }), replaceUnmanaged: true }],
      observed: [observed("groups.a", { name: "a", vpc: "vpc-1" }, { managed: false, id: "g-hand" })],
      facts: {},
      types,
    });
    expect(result.errors).toEqual([]);
    expect(result.plan.changes[0]).toMatchObject({
      action: "replace",
      reason: "vpc changed; parity did not create g-hand",
      risks: ["unmanaged"],
    });
  });

  it("needs no opt-in to replace what parity created itself", () => {
    const result = computePlan({
      env: ENV,
      nodes: [node("groups.a", { name: "a", vpc: "vpc-2" })],
      observed: [observed("groups.a", { name: "a", vpc: "vpc-1" })],
      facts: {},
      types,
    });
    expect(result.errors).toEqual([]);
    expect(result.plan.changes[0]?.risks).toEqual([]);
  });

  it("deletes what this environment owns and the file no longer lists, with the type's risk", () => {
    const result = plan([], [observed("things.gone", { name: "gone" }, { protect: true })]);
    expect(result.changes).toMatchObject([
      { address: "things.gone", action: "delete", protected: true, risks: ["data-loss"] },
    ]);
    expect(result.summary).toEqual({ add: 0, change: 0, destroy: 1, replace: 0, adopt: 0 });
  });

  it("leaves alone what it does not own", () => {
    const result = plan([], [observed("things.theirs", { name: "x" }, { managed: false })]);
    expect(result.changes).toEqual([]);
  });

  it("shows a reference to a resource still to be created as known after apply", () => {
    const result = plan(
      [node("groups.a", { name: "a" }), node("things.b", { name: "b", group: "groups.a" }, ["groups.a"])],
      [observed("things.b", { name: "b", group: "id-old" })],
    );
    const update = result.changes.find((c) => c.address === "things.b");
    expect(update?.action).toBe("update");
    expect(update?.attributes[0]?.after).toEqual({ $unknown: "groups.a.id" });
  });

  it("uses an existing resource's outputs for references, so nothing changes", () => {
    const result = plan(
      [node("groups.a", { name: "a" }), node("things.b", { name: "b", group: "groups.a" }, ["groups.a"])],
      [observed("groups.a", { name: "a" }), observed("things.b", { name: "b", group: "id-groups.a" })],
    );
    expect(result.changes.map((c) => c.action)).toEqual(["no-op", "no-op"]);
  });

  it("plans a duplicate of a managed resource for deletion", () => {
    const result = plan(
      [node("things.a", { name: "a" })],
      [observed("things.a", { name: "a" }), observed("things.a", { name: "a" }, { id: "dup" })],
    );
    expect(result.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      "no-op things.a",
      "delete things.a (dup)",
    ]);
  });

  it("is pure: the same inputs give the same plan", () => {
    const nodes = [node("things.a", { name: "a", size: 1 })];
    const live = [observed("things.a", { name: "a", size: 2 })];
    expect(plan(nodes, live)).toEqual(plan(nodes, live));
  });
});
