import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lockedMessage, lockHolder, takeoverMessage } from "../../src/engine/lock.js";
import type { LockHolder, LockRecord } from "../../src/engine/lock.js";
import { judgeLock, parseLockRecord } from "../../src/engine/lockVerdict.js";
import { storeLock } from "../../src/engine/storeLock.js";
import type { LockStore } from "../../src/engine/storeLock.js";
import { seededRandom } from "../support/random.js";

const AT = {
  user: "alice",
  host: "laptop",
  pid: 4242,
  cwd: "/home/alice/infra",
  now: new Date("2026-11-22T10:00:00.123Z"),
};

describe("apply lock holder", () => {
  it("names the user, host, process, directory and time", () => {
    expect(lockHolder({}, AT, "1a2b3c4d")).toEqual({
      who: "alice@laptop",
      where: "/home/alice/infra",
      since: "2026-11-22T10:00:00Z",
      planDigest: "1a2b3c4d",
      host: "laptop",
      pid: 4242,
    });
  });

  it("names the CI run when GitHub Actions runs it", () => {
    const env = {
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_RUN_ID: "42",
    };
    expect(lockHolder(env, AT, "x").where).toBe("https://github.com/acme/infra/actions/runs/42");
  });

  it("says who holds it, since when, when it last beat, and how to recover from a dead run", () => {
    const record = { ...lockHolder({}, AT, "1a2b3c4d5e"), heartbeat: "2026-11-22T10:04:30Z" };
    expect(lockedMessage("staging/us-west-1", record, "staging.yaml")).toBe(
      "staging/us-west-1 is locked by alice@laptop (pid 4242) since 2026-11-22T10:00:00Z, last heartbeat 2026-11-22T10:04:30Z (plan 1a2b3c…, /home/alice/infra); if that run is dead: parity unlock staging.yaml --force",
    );
  });

  it("says whose lock it took over and why", () => {
    expect(
      takeoverMessage(
        "staging/us-west-1",
        lockHolder({}, AT, ""),
        "its process 4242 is no longer running on laptop",
      ),
    ).toBe(
      "Took over the lock on staging/us-west-1 from alice@laptop (pid 4242), held since 2026-11-22T10:00:00Z: its process 4242 is no longer running on laptop.",
    );
  });

  it("reads what older versions and strangers wrote", () => {
    expect(parseLockRecord('{"who":"bob@ci","where":"x","since":"2026-01-01T00:00:00Z"}')).toEqual({
      who: "bob@ci",
      where: "x",
      since: "2026-01-01T00:00:00Z",
      planDigest: "",
    });
    expect(parseLockRecord("locked!", new Date("2026-01-01T00:00:00Z"))).toEqual({
      who: "someone",
      where: 'unreadable lock value "locked!"',
      since: "2026-01-01T00:00:00Z",
      planDigest: "",
    });
  });
});

const NOW = new Date("2026-11-22T12:00:00Z");
const MINUTE = 60_000;
const ME: LockRecord = { ...lockHolder({}, { ...AT, pid: 100, now: NOW }, ""), token: "mine" };

/** A lock stored by someone on `host`, last beating `ageMs` ago. */
function stored(host: string, pid: number, ageMs: number, extra: Partial<LockRecord> = {}): LockRecord {
  return {
    ...lockHolder({}, { ...AT, host, pid, now: new Date(NOW.getTime() - ageMs) }, ""),
    token: "theirs",
    heartbeat: new Date(NOW.getTime() - ageMs).toISOString(),
    ...extra,
  };
}

describe("whose lock is it, and may it be taken over", () => {
  const running = new Set([4242]);
  const live = { now: NOW, isRunning: (pid: number) => running.has(pid), staleAfterMs: 5 * MINUTE };

  it("takes over a holder on this host whose process is gone", () => {
    expect(judgeLock(stored("laptop", 999, 10_000), ME, live)).toEqual({
      verdict: "abandoned",
      why: "its process 999 is no longer running on laptop",
    });
  });

  it("keeps a holder on this host whose process runs", () => {
    expect(judgeLock(stored("laptop", 4242, 10_000), ME, live)).toEqual({ verdict: "held" });
  });

  it("takes over a holder on this host that has our pid now: its process is gone", () => {
    expect(judgeLock(stored("laptop", 100, 10_000), ME, live).verdict).toBe("abandoned");
  });

  it("refuses a live holder on another host, whatever runs here under its pid", () => {
    const probe = vi.fn(() => false);
    expect(judgeLock(stored("ci-runner", 999, 4 * MINUTE), ME, { ...live, isRunning: probe })).toEqual({
      verdict: "held",
    });
    expect(probe).not.toHaveBeenCalled();
  });

  it("takes over a holder whose heartbeat is older than the bound, on any host", () => {
    expect(judgeLock(stored("ci-runner", 4242, 5 * MINUTE + 1000), ME, live)).toEqual({
      verdict: "abandoned",
      why: "its last heartbeat was at 2026-11-22T11:54:59Z, more than 5 minutes ago",
    });
    expect(judgeLock(stored("ci-runner", 4242, 5 * MINUTE), ME, live)).toEqual({ verdict: "held" });
  });

  it("never judges a process in another container that shares our host name", () => {
    const container = stored("laptop", 999, 10_000, { processSpace: "boot-1/4026532001" });
    expect(judgeLock(container, { ...ME, processSpace: "boot-1/4026531836" }, live)).toEqual({
      verdict: "held",
    });
    expect(judgeLock(container, { ...ME, processSpace: "boot-1/4026532001" }, live).verdict).toBe(
      "abandoned",
    );
  });

  it("recognises its own token, whatever the rest says", () => {
    expect(judgeLock(stored("elsewhere", 1, 60 * MINUTE, { token: "mine" }), ME, live)).toEqual({
      verdict: "ours",
    });
  });

  it("leaves a lock from an older version (no token, no heartbeat) to unlock --force", () => {
    const old = parseLockRecord('{"who":"bob@laptop","where":"x","since":"2020-01-01T00:00:00Z"}');
    expect(judgeLock({ ...old, host: "laptop", pid: 999 }, ME, live)).toEqual({ verdict: "held" });
  });

  it("keeps a lock whose heartbeat is in the future (a clock ahead of ours)", () => {
    expect(judgeLock(stored("ci-runner", 1, -10 * MINUTE), ME, live)).toEqual({ verdict: "held" });
  });
});

/**
 * An in-memory store; `pause` yields to other contenders before each operation, in an order drawn
 * from `random`, so concurrent acquires interleave differently for each seed.
 */
function memoryStore(random?: () => number) {
  const values = new Map<string, string>();
  const pause = async () => {
    const turns = random ? Math.floor(random() * 4) : 0;
    for (let i = 0; i < turns; i++) await Promise.resolve();
  };
  const store: LockStore = {
    async create(name, value) {
      await pause();
      if (values.has(name)) return false;
      values.set(name, value);
      return true;
    },
    async read(name) {
      await pause();
      const value = values.get(name);
      return value === undefined ? undefined : { value };
    },
    async overwrite(name, value) {
      await pause();
      values.set(name, value);
    },
    async remove(name) {
      await pause();
      values.delete(name);
    },
  };
  return { store, values };
}

const NAMES = { lock: "L", takeover: (token: string, attempt: number) => `T/${token}/${attempt}` };

function runner(name: string, host: string, pid: number): LockHolder {
  return lockHolder({}, { user: name, host, pid, cwd: "/w", now: new Date() }, "");
}

const value = (values: Map<string, string>, name = "L") => parseLockRecord(values.get(name) ?? "");

describe("the lock over a store", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const nobodyElseRuns = { isRunning: () => false };

  it("is taken once; a second run is refused, naming the first; release frees it", async () => {
    const { store, values } = memoryStore();
    const first = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "a" });
    const second = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "b" });
    expect(await first.acquire(runner("alice", "ci-1", 10))).toEqual({ ok: true });
    const refused = await second.acquire(runner("bob", "ci-2", 20));
    expect(refused).toMatchObject({ ok: false, holder: { who: "alice@ci-1", pid: 10 } });
    await second.release();
    expect(value(values).token).toBe("a");
    await first.release();
    expect(values.size).toBe(0);
  });

  it("holds a lock whose creation reached the store though its answer was lost", async () => {
    const { store, values } = memoryStore();
    // The SDK's retry of a write that succeeded sees ParameterAlreadyExists.
    const lossy: LockStore = {
      ...store,
      create: async (name, text) => (await store.create(name, text)) && false,
    };
    const lock = storeLock(lossy, NAMES, "staging", { ...nobodyElseRuns, token: "a" });
    expect(await lock.acquire(runner("alice", "laptop", 10))).toEqual({ ok: true });
    expect(value(values).token).toBe("a");
    await lock.release();
    expect(values.has("L")).toBe(false);
  });

  it("beats while held, so nobody takes it over however long the apply runs", async () => {
    const { store, values } = memoryStore();
    const lock = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "a" });
    await lock.acquire(runner("alice", "ci-1", 10));
    await vi.advanceTimersByTimeAsync(20 * MINUTE);
    expect(value(values).heartbeat).toBe("2026-11-22T12:20:00Z");
    const later = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "b" });
    expect(await later.acquire(runner("bob", "ci-2", 20))).toMatchObject({ ok: false });
    await lock.release();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not keep the process alive with its heartbeat timer", async () => {
    const { store } = memoryStore();
    const spy = vi.spyOn(globalThis, "setInterval");
    const lock = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "a" });
    await lock.acquire(runner("alice", "ci-1", 10));
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await lock.release();
  });

  it("never overwrites a lock that is no longer its own, and says it lost it", async () => {
    const { store, values } = memoryStore();
    const onLost = vi.fn();
    const lock = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "a" });
    await lock.acquire(runner("alice", "ci-1", 10), onLost);
    const intruder = JSON.stringify({ ...runner("bob", "ci-2", 20), token: "b", heartbeat: "x" });
    values.set("L", intruder);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(onLost).toHaveBeenCalledWith(expect.objectContaining({ who: "bob@ci-2", token: "b" }));
    expect(values.get("L")).toBe(intruder);
    await lock.release();
    expect(values.get("L")).toBe(intruder);
  });

  it("takes over the lock of a dead process on this host, and says whose it was", async () => {
    const { store, values } = memoryStore();
    const dead = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "dead" });
    await dead.acquire(runner("alice", "laptop", 10));
    // kill -9: no release, no more heartbeats.
    vi.clearAllTimers();
    const next = storeLock(store, NAMES, "staging", { isRunning: (pid) => pid !== 10, token: "b" });
    const taken = await next.acquire(runner("alice", "laptop", 11));
    expect(taken).toEqual({
      ok: true,
      tookOver: {
        from: expect.objectContaining({ who: "alice@laptop", pid: 10 }),
        why: "its process 10 is no longer running on laptop",
      },
    });
    expect(value(values).token).toBe("b");
    expect([...values.keys()]).toEqual(["L"]);
  });

  it("takes over a lock from another host only once its heartbeat is older than the bound", async () => {
    const { store, values } = memoryStore();
    const gone = storeLock(store, NAMES, "staging", { isRunning: () => true, token: "gone" });
    await gone.acquire(runner("bob", "ci-2", 10));
    vi.clearAllTimers();
    const next = storeLock(store, NAMES, "staging", { isRunning: () => true, token: "b" });
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(await next.acquire(runner("alice", "laptop", 11))).toMatchObject({ ok: false });
    await vi.advanceTimersByTimeAsync(1000);
    expect(await next.acquire(runner("alice", "laptop", 11))).toMatchObject({
      ok: true,
      tookOver: { why: "its last heartbeat was at 2026-11-22T12:00:00Z, more than 5 minutes ago" },
    });
    expect(value(values).token).toBe("b");
    await next.release();
  });

  it("lets exactly one of several runs that find the same abandoned lock take it over", async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { store, values } = memoryStore(seededRandom(seed));
      values.set("L", JSON.stringify({ ...runner("dead", "laptop", 10), token: "dead", heartbeat: "x" }));
      const contenders = [11, 12, 13].map((pid) =>
        storeLock(store, NAMES, "staging", { isRunning: (p) => p !== 10, token: `t${pid}` }),
      );
      const results = await Promise.all(
        contenders.map((lock, i) => lock.acquire(runner(`r${i}`, "laptop", 11 + i))),
      );
      const winners = results.filter((r) => r.ok);
      expect(winners, `seed ${seed}`).toHaveLength(1);
      const winner = value(values);
      for (const r of results) if (!r.ok) expect(r.holder.token, `seed ${seed}`).toBe(winner.token);
      expect([...values.keys()], `seed ${seed}: markers left`).toEqual(["L"]);
      for (const lock of contenders) await lock.release();
      expect(values.size, `seed ${seed}`).toBe(0);
    }
  });

  it("takes over even when an earlier contender died holding the takeover marker", async () => {
    const { store, values } = memoryStore();
    values.set("L", JSON.stringify({ ...runner("dead", "laptop", 10), token: "dead", heartbeat: "x" }));
    const marker = { ...runner("dead-too", "laptop", 12), token: "t12", heartbeat: NOW.toISOString() };
    values.set("T/dead/1", JSON.stringify(marker));
    const lock = storeLock(store, NAMES, "staging", { isRunning: (p) => p === 11, token: "t11" });
    expect(await lock.acquire(runner("me", "laptop", 11))).toMatchObject({ ok: true });
    expect(value(values).token).toBe("t11");
    // The dead contender's marker stays (deleting it could delete a live one's); it names a lock that is gone.
    expect([...values.keys()].sort()).toEqual(["L", "T/dead/1"]);
    await lock.release();
  });

  it("refuses, naming the contender, while a live run is taking the abandoned lock over", async () => {
    const { store, values } = memoryStore();
    values.set("L", JSON.stringify({ ...runner("dead", "laptop", 10), token: "dead", heartbeat: "x" }));
    const contender = { ...runner("carol", "laptop", 12), token: "t12", heartbeat: NOW.toISOString() };
    values.set("T/dead/1", JSON.stringify(contender));
    const lock = storeLock(store, NAMES, "staging", { isRunning: (p) => p !== 10, token: "t11" });
    expect(await lock.acquire(runner("me", "laptop", 11))).toMatchObject({
      ok: false,
      holder: { who: "carol@laptop", pid: 12 },
    });
    expect(value(values).token).toBe("dead");
  });

  it("holds a takeover marker whose creation reached the store though its answer was lost", async () => {
    const { store, values } = memoryStore();
    values.set("L", JSON.stringify({ ...runner("dead", "laptop", 10), token: "dead", heartbeat: "x" }));
    const lossy: LockStore = {
      ...store,
      create: async (name, text) => (await store.create(name, text)) && !name.startsWith("T/"),
    };
    const lock = storeLock(lossy, NAMES, "staging", { isRunning: (p) => p !== 10, token: "t11" });
    expect(await lock.acquire(runner("me", "laptop", 11))).toMatchObject({ ok: true, tookOver: {} });
    expect([...values.keys()]).toEqual(["L"]);
    await lock.release();
  });

  it("releases only its own lock", async () => {
    const { store, values } = memoryStore();
    const lock = storeLock(store, NAMES, "staging", { ...nobodyElseRuns, token: "a" });
    await lock.acquire(runner("alice", "ci-1", 10));
    values.set("L", JSON.stringify({ ...runner("bob", "ci-2", 20), token: "b", heartbeat: "x" }));
    await lock.release();
    expect(value(values).token).toBe("b");
  });
});
