import { isoSeconds } from "./lock.js";
import type { LockRecord } from "./lock.js";

/** How often a holder refreshes its lock, and how old a heartbeat must be before the lock is free. */
export type LockTiming = { heartbeatMs: number; staleAfterMs: number };

/**
 * Ten missed heartbeats: a run whose event loop, network or machine stalls for a few beats keeps
 * its lock, and the bound stays far above the clock skew between two hosts (AWS itself refuses
 * requests signed more than 5 minutes off, and the SDK corrects for skew).
 */
export const LOCK_TIMING: LockTiming = { heartbeatMs: 30_000, staleAfterMs: 5 * 60_000 };

/** What a run can find out about the holder of a lock, injected so the rules are testable. */
export type Liveness = {
  now: Date;
  /** Whether a process of this process table is running (`process.kill(pid, 0)` without ESRCH). */
  isRunning(pid: number): boolean;
  staleAfterMs: number;
};

export type LockVerdict =
  | { verdict: "ours" }
  | { verdict: "held" }
  /** Free to take over; `why` completes "Took over the lock …: <why>". */
  | { verdict: "abandoned"; why: string };

/** Whether `pid` in `record` names a process in the same process table as `me`. */
function sameProcessTable(record: LockRecord, me: LockRecord): boolean {
  if (!record.host || record.host !== me.host || record.pid === undefined) return false;
  // Only when both sides say which table they use, or neither does (no way to tell on that OS).
  return record.processSpace === me.processSpace;
}

/**
 * Whose lock is this, and may it be taken over? Only on proof: the holder's process is gone from
 * this very host, or its heartbeat is older than the bound. A lock without a token or heartbeat
 * (an older parity, or an unreadable value) is never taken over by age: only `unlock --force`.
 */
export function judgeLock(record: LockRecord, me: LockRecord, live: Liveness): LockVerdict {
  if (record.token !== undefined && record.token === me.token) return { verdict: "ours" };
  if (record.token === undefined || record.heartbeat === undefined) return { verdict: "held" };
  if (sameProcessTable(record, me)) {
    // Our own pid under another token: the holder is gone and the system gave its pid to us.
    if (record.pid === me.pid || !live.isRunning(record.pid as number))
      return {
        verdict: "abandoned",
        why: `its process ${record.pid} is no longer running on ${record.host}`,
      };
  }
  const beat = Date.parse(record.heartbeat);
  if (Number.isFinite(beat) && live.now.getTime() - beat > live.staleAfterMs) {
    const minutes = Math.round(live.staleAfterMs / 60_000);
    return {
      verdict: "abandoned",
      why: `its last heartbeat was at ${isoSeconds(new Date(beat))}, more than ${minutes} minute${minutes === 1 ? "" : "s"} ago`,
    };
  }
  return { verdict: "held" };
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A stored lock value, read leniently: whatever wrote it, the refusal can still name someone. */
export function parseLockRecord(value: string, modified?: Date): LockRecord {
  const fallbackSince = modified ? isoSeconds(modified) : "an unknown time";
  let v: { [key: string]: unknown };
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not a record");
    v = parsed as { [key: string]: unknown };
  } catch {
    return {
      who: "someone",
      where: `unreadable lock value ${JSON.stringify(value)}`,
      since: fallbackSince,
      planDigest: "",
    };
  }
  const pid = typeof v.pid === "number" && Number.isInteger(v.pid) && v.pid > 0 ? v.pid : undefined;
  const optional = { host: text(v.host), processSpace: text(v.processSpace), token: text(v.token) };
  return {
    who: text(v.who) ?? "someone",
    where: text(v.where) ?? "somewhere",
    since: text(v.since) ?? fallbackSince,
    planDigest: text(v.planDigest) ?? "",
    ...Object.fromEntries(Object.entries(optional).filter(([, x]) => x !== undefined)),
    ...(pid !== undefined ? { pid } : {}),
    ...(text(v.heartbeat) ? { heartbeat: text(v.heartbeat) } : {}),
  };
}
