import { describe, expect, it, vi } from "vitest";
import type { CommandContext } from "../../src/cli/context.js";
import { watchInterrupts } from "../../src/cli/interruption.js";
import { withLock } from "../../src/cli/locking.js";
import type { EnvironmentLock } from "../../src/cli/locking.js";
import type { Lock, LockRecord, LockResult } from "../../src/engine/lock.js";
import { plain } from "../../src/render/palette.js";

const HOLDER = { who: "alice@laptop", where: "/w", since: "2026-11-22T10:00:00Z", planDigest: "", pid: 10 };
const BOB: LockRecord = { ...HOLDER, who: "bob@ci", pid: 7, token: "b", heartbeat: "2026-11-22T10:00:30Z" };

/** A lock that answers `result` and hands its onLost callback to the test. */
function fakeLock(result: LockResult) {
  const hooks: { lost?: (now: LockRecord | undefined) => void } = {};
  const lock: Lock = {
    name: "staging/us-west-1",
    acquire: async (_holder, onLost) => {
      hooks.lost = onLost;
      return result;
    },
    release: vi.fn(async () => undefined),
    holder: async () => undefined,
    breakLock: async () => undefined,
  };
  const held: EnvironmentLock = { lock, during: (_signal, body) => body(), close: () => undefined };
  return { lock, held, hooks };
}

function context(): { context: CommandContext; err: string[] } {
  const err: string[] = [];
  const output = {
    palette: plain,
    out: () => undefined,
    err: (t: string) => err.push(t),
    verbose: false,
    isTTY: false,
  };
  // Signals never come: the tests drive the lock, not the process.
  const interruption = watchInterrupts(output, { on: () => undefined, off: () => undefined });
  return { context: { global: { color: false, verbose: false }, output, connection: {}, interruption }, err };
}

describe("running under the lock", () => {
  it("refuses with exit 3, naming the holder, and runs nothing", async () => {
    const { lock, held } = fakeLock({ ok: false, holder: BOB });
    const { context: ctx, err } = context();
    const body = vi.fn(async () => 0);
    expect(await withLock(held, HOLDER, "staging.yaml", ctx, body)).toBe(3);
    expect(body).not.toHaveBeenCalled();
    expect(lock.release).not.toHaveBeenCalled();
    expect(err).toEqual([
      "error: staging/us-west-1 is locked by bob@ci (pid 7) since 2026-11-22T10:00:00Z, last heartbeat 2026-11-22T10:00:30Z (/w); if that run is dead: parity unlock staging.yaml --force",
    ]);
  });

  it("says whose lock it took over before running", async () => {
    const { lock, held } = fakeLock({
      ok: true,
      tookOver: { from: BOB, why: "its process 7 is no longer running on ci" },
    });
    const { context: ctx, err } = context();
    expect(await withLock(held, HOLDER, "staging.yaml", ctx, async () => 0)).toBe(0);
    expect(err).toEqual([
      "Took over the lock on staging/us-west-1 from bob@ci (pid 7), held since 2026-11-22T10:00:00Z: its process 7 is no longer running on ci.",
    ]);
    expect(lock.release).toHaveBeenCalledOnce();
  });

  it("tells the body to stop when the lock is lost, and never exits 0 then", async () => {
    const { lock, held, hooks } = fakeLock({ ok: true });
    const { context: ctx, err } = context();
    const code = await withLock(held, HOLDER, "staging.yaml", ctx, async (lockLost) => {
      expect(lockLost.aborted).toBe(false);
      hooks.lost?.(BOB);
      expect(lockLost.aborted).toBe(true);
      return 0;
    });
    expect(code).toBe(1);
    expect(err).toEqual([
      "error: the lock on staging/us-west-1 was taken over by bob@ci (pid 7) while this apply held it; starting nothing new",
    ]);
    expect(lock.release).toHaveBeenCalledOnce();
  });
});
