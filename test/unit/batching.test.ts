import { afterEach, describe, expect, it, vi } from "vitest";
import { waitUntil } from "../../src/engine/wait.js";
import { backoff, batcher } from "../../src/providers/aws/common/batching.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("a batched read", () => {
  it("serves every key asked for while it gathers with one call, chunked at the limit", async () => {
    vi.useFakeTimers();
    const calls: string[][] = [];
    const read = batcher(
      async (keys) => {
        calls.push(keys);
        return new Map(keys.filter((k) => k !== "missing").map((k) => [k, `value of ${k}`]));
      },
      { gatherMs: 200, maxKeys: 2 },
    );
    const answers = Promise.all(["a", "b", "a", "c", "missing"].map((key) => read.read(key)));
    await vi.advanceTimersByTimeAsync(200);
    expect(await answers).toEqual(["value of a", "value of b", "value of a", "value of c", undefined]);
    expect(calls).toEqual([
      ["a", "b"],
      ["c", "missing"],
    ]);
    // A key asked for later starts the next batch.
    const later = read.read("d");
    await vi.advanceTimersByTimeAsync(200);
    expect(await later).toBe("value of d");
    expect(calls).toHaveLength(3);
  });

  it("fails every waiter of a chunk whose call failed, and only those", async () => {
    vi.useFakeTimers();
    const read = batcher(
      async (keys) => {
        if (keys.includes("bad")) throw new Error("throttled");
        return new Map(keys.map((k) => [k, k]));
      },
      { gatherMs: 10, maxKeys: 1 },
    );
    const good = read.read("good");
    const bad = read.read("bad");
    const failed = expect(bad).rejects.toThrow("throttled");
    await vi.advanceTimersByTimeAsync(10);
    expect(await good).toBe("good");
    await failed;
  });
});

describe("a shared poll's backoff", () => {
  it("doubles the wait after each unanswered poll, up to its cap", () => {
    const schedule = backoff(1000, 10_000);
    expect([1, 2, 3, 4, 5, 6, 20].map(schedule)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it("is what a wait sleeps between polls, by the clock it is given", async () => {
    const slept: number[] = [];
    let polls = 0;
    const answer = await waitUntil(async () => (++polls === 5 ? "running" : undefined), {
      what: "instance i-1 to be running",
      timeoutMs: 60_000,
      intervalMs: backoff(1000, 3000),
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(answer).toBe("running");
    expect(slept).toEqual([1000, 2000, 3000, 3000]);
  });
});
