import { describe, expect, it } from "vitest";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import type { Change, ObservedNode } from "../../src/model/index.js";
import { instanceType } from "../../src/providers/aws/instances/index.js";
import { snapshotPlan, snapshotsFirst } from "../../src/providers/aws/instances/snapshots.js";

const env: EnvironmentInfo = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };

function observed(snapshotBeforeChange: boolean): ObservedNode {
  return {
    type: "instances",
    id: "i-0a1b2c3d4e5f60718",
    managed: false,
    attributes: {},
    outputs: {},
    details: { volumes: ["vol-1", "vol-2"], snapshotBeforeChange },
  };
}

function changeOf(action: Change["action"], attributes: Change["attributes"] = []): Change {
  return {
    address: "instances.web[0]",
    kind: "instances",
    group: "instances.web",
    action,
    id: "i-0a1b2c3d4e5f60718",
    before: { type: "t3.micro" },
    after: { type: "t3.small" },
    attributes,
    dependsOn: [],
    protected: false,
    risks: [],
    notes: [],
  };
}

describe("snapshotBeforeChange", () => {
  it("snapshots before every change to a member but its creation, only when the entry asks", () => {
    for (const action of ["update", "adopt", "replace", "delete"] as const)
      expect(snapshotsFirst(changeOf(action), observed(true))).toBe(true);
    expect(snapshotsFirst(changeOf("create"), observed(true))).toBe(false);
    expect(snapshotsFirst(changeOf("no-op"), observed(true))).toBe(false);
    expect(snapshotsFirst(changeOf("update"), observed(false))).toBe(false);
  });

  it("lists the volumes under the change, before what else it does", () => {
    const type = {
      path: "type",
      before: "t3.micro",
      after: "t3.small",
      forcesReplacement: false,
      sensitive: false,
    };
    expect(instanceType.notes?.(changeOf("adopt", [type]), observed(true))).toEqual([
      "snapshot vol-1 before changing i-0a1b2c3d4e5f60718",
      "snapshot vol-2 before changing i-0a1b2c3d4e5f60718",
      "tag i-0a1b2c3d4e5f60718 and its volumes as instances.web[0]",
      "stop i-0a1b2c3d4e5f60718, change its type to t3.small, then start it again",
    ]);
  });

  it("names a snapshot after the plan: the configuration's digest, the same for every run of the file", () => {
    const digest = "0123456789abcdef".repeat(4);
    expect(snapshotPlan({ env: { ...env, planDigest: digest }, change: changeOf("update") })).toBe(
      "0123456789ab",
    );
    // Without one, the change itself stands for its plan: the same change, the same name.
    const a = snapshotPlan({ env, change: changeOf("update") });
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(snapshotPlan({ env, change: changeOf("update") })).toBe(a);
    expect(snapshotPlan({ env, change: { ...changeOf("update"), after: { type: "t3.large" } } })).not.toBe(a);
  });
});
