import { describe, expect, it, vi } from "vitest";
import { applyPlan } from "../../src/engine/apply.js";
import { computePlan } from "../../src/engine/plan.js";
import type { ResourceType } from "../../src/engine/types.js";
import type { ObservedNode } from "../../src/model/index.js";
import { ENV, fakeType, node, observed } from "./fakes.js";

function setup(
  options: { fail?: string[]; live?: ObservedNode[]; concurrency?: number; stop?: AbortSignal } = {},
) {
  const log: string[] = [];
  const types = new Map<string, ResourceType<null>>([
    ["groups", fakeType("groups", { log, fail: options.fail ?? [] })],
    ["things", fakeType("things", { log, fail: options.fail ?? [] })],
  ]);
  const nodes = [
    node("groups.a", { name: "a" }),
    node("things.x", { name: "x", group: "groups.a" }, ["groups.a"]),
    node("groups.b", { name: "b" }),
    node("things.y", { name: "y", group: "groups.b" }, ["groups.b"]),
  ];
  const live = options.live ?? [];
  const { plan } = computePlan({ env: ENV, nodes, observed: live, facts: {}, types });
  const run = () =>
    applyPlan({
      ctx: null,
      plan,
      nodes,
      observed: live,
      facts: {},
      types,
      typeOrder: ["groups", "things"],
      env: ENV,
      concurrency: options.concurrency ?? 10,
      events: () => {},
      ...(options.stop ? { stop: options.stop } : {}),
    });
  return { log, run };
}

describe("apply walk", () => {
  it("creates dependencies first and passes real outputs to dependents", async () => {
    const { log, run } = setup({ concurrency: 1 });
    const result = await run();
    expect(result.failed).toEqual([]);
    expect(log.indexOf("create groups.a")).toBeLessThan(log.indexOf("create things.x"));
    expect(log.indexOf("create groups.b")).toBeLessThan(log.indexOf("create things.y"));
    expect(result.done).toHaveLength(4);
  });

  it("skips only the dependents of a failure and finishes independent work", async () => {
    const { log, run } = setup({ fail: ["groups.a"] });
    const result = await run();
    expect(result.failed).toEqual([{ address: "groups.a", error: "boom at groups.a" }]);
    expect(result.skipped).toEqual([{ address: "things.x", because: "groups.a failed" }]);
    expect(result.done.sort()).toEqual(["groups.b", "things.y"]);
    expect(log).not.toContain("create things.x");
  });

  it("starts nothing once stopped", async () => {
    const stop = new AbortController();
    stop.abort();
    const { log, run } = setup({ stop: stop.signal });
    const result = await run();
    expect(log).toEqual([]);
    expect(result.notStarted).toHaveLength(4);
  });

  it("never runs more operations at once than the limit", async () => {
    let running = 0;
    let peak = 0;
    const slow: ResourceType<null> = {
      ...fakeType("things"),
      create: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return { id: "x" };
      },
    };
    const types = new Map([["things", slow]]);
    const nodes = Array.from({ length: 8 }, (_, i) => node(`things.n${i}`, { name: `n${i}` }));
    const { plan } = computePlan({ env: ENV, nodes, observed: [], facts: {}, types });
    // Fake timers: the 20 ms operations overlap exactly as scheduled, however busy the machine.
    vi.useFakeTimers();
    const applying = applyPlan({
      ctx: null,
      plan,
      nodes,
      observed: [],
      facts: {},
      types,
      typeOrder: ["things"],
      env: ENV,
      concurrency: 3,
      events: () => {},
    });
    try {
      await vi.runAllTimersAsync();
      expect((await applying).done).toHaveLength(8);
    } finally {
      vi.useRealTimers();
    }
    expect(peak).toBe(3);
  });
});

describe("apply walk with two live resources at one address", () => {
  it("feeds dependents the outputs of the one the plan keeps, never of the duplicate it deletes", async () => {
    const seen: string[] = [];
    const things: ResourceType<null> = {
      ...fakeType("things"),
      create: async (_ctx, op) => {
        seen.push(String(op.desired?.group));
        return { id: "x" };
      },
    };
    const types = new Map<string, ResourceType<null>>([
      ["groups", fakeType("groups")],
      ["things", things],
    ]);
    const nodes = [node("groups.a", { name: "a" }), node("things.x", { group: "groups.a" }, ["groups.a"])];
    // The second one is what a retried create whose first answer was lost leaves behind.
    const live = [
      observed("groups.a", { name: "a" }),
      observed("groups.a", { name: "a" }, { id: "dup", outputs: { id: "dup", name: "a" } }),
    ];
    const { plan } = computePlan({ env: ENV, nodes, observed: live, facts: {}, types });
    expect(
      plan.changes.filter((c) => c.action !== "no-op").map((c) => `${c.action} ${c.id ?? c.address}`),
    ).toEqual(["create things.x", "delete dup"]);
    const result = await applyPlan({
      ctx: null,
      plan,
      nodes,
      observed: live,
      facts: {},
      types,
      typeOrder: ["groups", "things"],
      env: ENV,
      concurrency: 1,
      events: () => {},
    });
    expect(result.failed).toEqual([]);
    expect(seen).toEqual(["id-groups.a"]);
  });
});
