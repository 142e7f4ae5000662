import { describe, expect, it } from "vitest";
import { canonicalJson, configDigest } from "../../src/engine/digest.js";
import { computePlan } from "../../src/engine/plan.js";
import type { PlanBasis } from "../../src/engine/savedPlan.js";
import { isStale, savePlan, staleness } from "../../src/engine/savedPlan.js";
import type { ResourceType } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode } from "../../src/model/index.js";
import { renderStaleness } from "../../src/render/stale.js";
import { configurationOf, ENV, fakeType, node, observed } from "./fakes.js";

const SECRET = "postgres://app:hunter2-very-secret@db:5432/app";

/** Like an appEnv parameter: the live secret is observed as a marker, its value kept in details. */
const secretType: ResourceType<null> = {
  ...fakeType("secrets"),
  desired(n, resolver, live) {
    const want = resolver.env.secrets[String(n.spec.fromEnv)] ?? "";
    const have = live?.details?.value;
    return {
      attributes: { name: String(n.spec.name), value: { $sensitive: true, changed: have !== want } },
      sensitive: ["value"],
    };
  },
};

const types = new Map<string, ResourceType<null>>([
  ["targetGroups", fakeType("targetGroups")],
  ["secrets", secretType],
]);

const NODES: DesiredNode[] = [
  node("targetGroups.api", { name: "api", healthCheck: { path: "/ready" } }),
  node("targetGroups.new", { name: "new" }),
  node("secrets.db", { name: "db", fromEnv: "DB_URL" }),
];

function live(path = "/ready", secret = SECRET): ObservedNode[] {
  return [
    observed("targetGroups.api", { name: "api", healthCheck: { path, intervalSeconds: 30 } }),
    observed("targetGroups.gone", { name: "gone" }),
    observed("secrets.db", { name: "db", value: { $sensitive: true } }, { details: { value: secret } }),
  ];
}

function basis(observedNow: ObservedNode[], secrets = { DB_URL: SECRET }): PlanBasis {
  const env = { ...ENV, secrets };
  const { plan, desired } = computePlan({ env, nodes: NODES, observed: observedNow, facts: {}, types });
  return { plan, observed: observedNow, desired, facts: { network: { vpcId: "vpc-1" } } };
}

function save(b: PlanBasis) {
  return savePlan({
    ...b,
    configuration: configurationOf("staging.yaml", NODES),
    document: { environment: "staging" },
    createdAt: new Date(0),
  });
}

describe("saved plans", () => {
  it("carry the project, so applying one takes the same lock as applying its file", () => {
    const b = basis(live());
    const configuration = { ...configurationOf("staging.yaml", NODES), project: "khorium" };
    const saved = savePlan({
      ...b,
      configuration,
      document: { environment: "staging" },
      createdAt: new Date(0),
    });
    expect(saved.configuration.project).toBe("khorium");
    expect("project" in save(b).configuration).toBe(false);
  });

  it("fingerprints every resource the plan names, null for those that did not exist", () => {
    const saved = save(basis(live()));
    expect(Object.keys(saved.fingerprints).sort()).toEqual([
      "secrets.db",
      "targetGroups.api",
      "targetGroups.gone",
      "targetGroups.new",
    ]);
    expect(saved.fingerprints["targetGroups.new"]).toBeNull();
    expect(saved.fingerprints["targetGroups.api"]).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.observedAttributes["targetGroups.api"]).toEqual({
      name: "api",
      healthCheck: { path: "/ready", intervalSeconds: 30 },
    });
  });

  it("never holds a secret, nor anything derived from it", () => {
    const b = basis(live());
    // Even a type that observed the raw value would be masked by its declared sensitive paths.
    const leaky = b.observed.map((o) =>
      o.type === "secrets" ? { ...o, attributes: { ...o.attributes, value: SECRET } } : o,
    );
    const saved = save({ ...b, observed: leaky });
    expect(JSON.stringify(saved)).not.toContain("hunter2");
    expect(saved.observedAttributes["secrets.db"]).toEqual({ name: "db", value: { $sensitive: true } });
    const other = save({
      ...b,
      observed: leaky.map((o) =>
        o.type === "secrets" ? { ...o, attributes: { ...o.attributes, value: "x" } } : o,
      ),
    });
    expect(other.fingerprints["secrets.db"]).toBe(saved.fingerprints["secrets.db"]);
  });

  it("is current when nothing moved", () => {
    const saved = JSON.parse(JSON.stringify(save(basis(live())))) as ReturnType<typeof save>;
    const s = staleness(saved, basis(live()));
    expect(isStale(s)).toBe(false);
  });

  it("names each moved resource and attribute", () => {
    const saved = save(basis(live()));
    const now = live("/moved");
    now.push(observed("targetGroups.new", { name: "new" }, { managed: false, id: "tg-new" }));
    const s = staleness(saved, basis(now.filter((o) => o.address !== "targetGroups.gone")));
    expect(renderStaleness(s)).toEqual([
      "targetGroups.api: healthCheck.path was /ready when planned, is /moved now",
      "targetGroups.new: did not exist when planned, exists now (tg-new)",
      "targetGroups.gone: existed when planned (id-targetGroups.gone), is gone now",
    ]);
  });

  it("says when a resource was replaced by another with the same address", () => {
    const saved = save(basis(live()));
    const now = live().map((o) => (o.address === "targetGroups.api" ? { ...o, id: "id-other" } : o));
    expect(renderStaleness(staleness(saved, basis(now)))).toEqual([
      "targetGroups.api: was id-targetGroups.api when planned, is id-other now",
    ]);
  });

  it("refuses when a secret's state changed, without saying what it is", () => {
    const saved = save(basis(live()));
    expect(saved.plan.changes.find((c) => c.address === "secrets.db")?.action).toBe("no-op");
    const s = staleness(saved, basis(live(), { DB_URL: "rotated-value" }));
    const lines = renderStaleness(s);
    expect(lines).toEqual(["secrets.db: planned to no-op, a plan made now would update"]);
    expect(lines.join("\n")).not.toContain("rotated");
  });

  it("refuses when a lookup the plan used changed", () => {
    const saved = save(basis(live()));
    const s = staleness(saved, { ...basis(live()), facts: { network: { vpcId: "vpc-2" } } });
    expect(renderStaleness(s)).toEqual([
      'lookup "network" (account facts the plan used) changed since the plan was made',
    ]);
  });
});

describe("digests", () => {
  it("do not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(configDigest({ a: 1, b: 2 }, "us-west-1")).toBe(configDigest({ b: 2, a: 1 }, "us-west-1"));
  });
  it("change with the region", () => {
    expect(configDigest({ a: 1 }, "us-west-1")).not.toBe(configDigest({ a: 1 }, "eu-west-1"));
  });
});
