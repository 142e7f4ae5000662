import { describe, expect, it } from "vitest";
import { dependencies } from "../../src/engine/apply.js";
import type { Change } from "../../src/model/index.js";
import { dependsOnValue, recordedDependencies } from "../../src/providers/aws/common/dependencies.js";

function deletion(address: string, kind: string, dependsOn?: string[]): Change {
  return {
    address,
    kind,
    group: address,
    action: "delete",
    before: {},
    after: null,
    attributes: [],
    dependsOn: dependsOn ?? [],
    ...(dependsOn !== undefined ? { dependsOnRecorded: true } : {}),
    protected: false,
    risks: [],
    notes: [],
  };
}

const ORDER = ["securityGroups", "targetGroups", "loadBalancers"];

describe("deletion order", () => {
  it("follows records: a referenced group after its user, independent ones at once", () => {
    const deps = dependencies(
      [
        deletion("securityGroups.alb", "securityGroups", []),
        deletion("securityGroups.app", "securityGroups", ["securityGroups.alb"]),
        deletion("targetGroups.web", "targetGroups", []),
        deletion("loadBalancers.web", "loadBalancers", ["securityGroups.alb", "targetGroups.web"]),
      ],
      ORDER,
    );
    expect(Object.fromEntries(deps)).toEqual({
      "securityGroups.alb": ["securityGroups.app", "loadBalancers.web"],
      "securityGroups.app": [],
      "targetGroups.web": ["loadBalancers.web"],
      "loadBalancers.web": [],
    });
  });

  it("falls back to the kinds' order where a resource has no record", () => {
    const deps = dependencies(
      [deletion("securityGroups.alb", "securityGroups", []), deletion("targetGroups.old", "targetGroups")],
      ORDER,
    );
    expect(deps.get("securityGroups.alb")).toEqual(["targetGroups.old"]);
  });

  it("keeps the record within AWS's 256-character tag value, marking one cut short as incomplete", () => {
    expect(dependsOnValue(["securityGroups.b", "securityGroups.a", "securityGroups.a"])).toBe(
      "securityGroups.a securityGroups.b",
    );
    expect(recordedDependencies({ "parity:depends-on": "securityGroups.a securityGroups.b" })).toEqual([
      "securityGroups.a",
      "securityGroups.b",
    ]);
    const many = Array.from({ length: 40 }, (_, i) => `securityGroups.group${i}`);
    const value = dependsOnValue(many);
    expect(value.length).toBeLessThanOrEqual(256);
    expect(value.endsWith(" +")).toBe(true);
    expect(recordedDependencies({ "parity:depends-on": value })).toBeUndefined();
    expect(recordedDependencies({ "parity:depends-on": "" })).toEqual([]);
    expect(recordedDependencies({})).toBeUndefined();
  });
});
