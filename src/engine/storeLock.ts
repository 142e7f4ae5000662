import { randomUUID } from "node:crypto";
import { isoSeconds } from "./lock.js";
import type { Lock, LockHolder, LockRecord, LockResult } from "./lock.js";
import { judgeLock, LOCK_TIMING, parseLockRecord } from "./lockVerdict.js";
import type { LockTiming } from "./lockVerdict.js";

/**
 * Where locks live: named string values. `create` must be atomic (of two concurrent creates of one
 * name exactly one returns true) and says false when the name exists, even if it was this very
 * call's first attempt that created it (a retried write whose answer was lost).
 */
export type LockStore = {
  create(name: string, value: string): Promise<boolean>;
  read(name: string): Promise<{ value: string; modified?: Date } | undefined>;
  overwrite(name: string, value: string): Promise<void>;
  /** Tolerates a name that does not exist. */
  remove(name: string): Promise<void>;
};

/** `takeover(token, n)`: the n-th marker contenders race for to replace the lock that had `token`. */
export type LockNames = { lock: string; takeover(staleToken: string, attempt: number): string };

export type StoreLockOptions = {
  /** `process.kill(pid, 0)` in real use; injected so tests decide who is alive. */
  isRunning(pid: number): boolean;
  timing?: LockTiming;
  token?: string;
};

// A few rounds absorb a holder that releases between our create and our read, or a takeover
// finishing under us; more would only hide a store that misbehaves.
const ROUNDS = 5;
const TAKEOVER_ATTEMPTS = 5;

type Claim = "won" | "moved" | { contender: LockRecord };

/**
 * The apply lock over any atomic store. Takeover of an abandoned lock: contenders race to create
 * a marker named after the stale lock's token; only the marker's holder may replace the lock, and
 * only after reading that it still holds the stale token. Tokens are never reused, so once the
 * lock is replaced no later marker holder can pass that check: exactly one contender wins. A
 * contender that dies holding a marker is judged like a lock holder, and the others race for the
 * next marker number instead of deleting its marker (a delete could remove a live winner's).
 *
 * The store has no compare-and-swap, so a heartbeat or release reads then writes: a holder that
 * stalled past the bound and wakes in the middle of a takeover can still clobber it. Its next
 * heartbeat then finds the lock someone else's (or the taker's finds it lost) and that run stops.
 */
export function storeLock(
  store: LockStore,
  names: LockNames,
  label: string,
  options: StoreLockOptions,
): Lock {
  const timing = options.timing ?? LOCK_TIMING;
  const token = options.token ?? randomUUID();
  let held: LockRecord | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  // Heartbeats run one at a time, and release waits for the one in flight: a beat that wrote after
  // the delete would bring the lock back.
  let beating: Promise<void> = Promise.resolve();

  const readRecord = async (name: string): Promise<LockRecord | undefined> => {
    const got = await store.read(name);
    return got ? parseLockRecord(got.value, got.modified) : undefined;
  };
  const liveness = () => ({
    now: new Date(),
    isRunning: options.isRunning,
    staleAfterMs: timing.staleAfterMs,
  });
  const fresh = (holder: LockHolder): LockRecord => ({ ...holder, token, heartbeat: isoSeconds(new Date()) });

  const stopBeating = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const beat = async (onLost?: (now: LockRecord | undefined) => void): Promise<void> => {
    if (!held) return;
    try {
      const now = await readRecord(names.lock);
      if (now?.token !== token) {
        held = undefined;
        stopBeating();
        onLost?.(now);
        return;
      }
      const next = { ...held, heartbeat: isoSeconds(new Date()) };
      await store.overwrite(names.lock, JSON.stringify(next));
      held = next;
    } catch {
      // A missed beat: the next one tries again, and only many in a row make the lock look stale.
    }
  };

  const hold = (record: LockRecord, onLost?: (now: LockRecord | undefined) => void): void => {
    held = record;
    stopBeating();
    timer = setInterval(() => {
      beating = beating.then(() => beat(onLost));
    }, timing.heartbeatMs);
    // The heartbeat is no reason to stay alive: a run that is done exits, beating or not.
    timer.unref?.();
  };

  const claim = async (stale: LockRecord & { token: string }, mine: LockRecord): Promise<Claim> => {
    for (let attempt = 1; attempt <= TAKEOVER_ATTEMPTS; attempt++) {
      const marker = names.takeover(stale.token, attempt);
      if (!(await store.create(marker, JSON.stringify(mine)))) {
        const other = await readRecord(marker);
        if (!other) return "moved";
        if (other.token !== token) {
          if (judgeLock(other, mine, liveness()).verdict === "held") return { contender: other };
          continue;
        }
      }
      const current = await readRecord(names.lock);
      if (current?.token !== stale.token) {
        await store.remove(marker);
        return "moved";
      }
      await store.overwrite(names.lock, JSON.stringify(mine));
      await store.remove(marker);
      return "won";
    }
    return "moved";
  };

  return {
    name: label,
    async acquire(holder, onLost): Promise<LockResult> {
      for (let round = 0; round < ROUNDS; round++) {
        const mine = fresh(holder);
        if (await store.create(names.lock, JSON.stringify(mine))) {
          hold(mine, onLost);
          return { ok: true };
        }
        const current = await readRecord(names.lock);
        if (!current) continue;
        const verdict = judgeLock(current, mine, liveness());
        if (verdict.verdict === "ours") {
          // Our first write reached the store and only its answer was lost: the lock is ours.
          hold(mine, onLost);
          return { ok: true };
        }
        if (verdict.verdict === "held") return { ok: false, holder: current };
        const outcome = await claim({ ...current, token: current.token as string }, mine);
        if (outcome === "won") {
          hold(mine, onLost);
          return { ok: true, tookOver: { from: current, why: verdict.why } };
        }
        if (outcome !== "moved") return { ok: false, holder: outcome.contender };
      }
      throw new Error(`could not take the lock on ${label}: it keeps changing hands`);
    },
    async release() {
      stopBeating();
      await beating;
      // Read even when not held: an acquire that failed half-way may still have written our token.
      held = undefined;
      const current = await readRecord(names.lock);
      if (current?.token === token) await store.remove(names.lock);
    },
    holder: () => readRecord(names.lock),
    breakLock: () => store.remove(names.lock),
  };
}
