import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UNWIND_DEADLINE_MS, watchInterrupts } from "../../src/cli/interruption.js";
import type { Output } from "../../src/cli/output.js";
import { plain } from "../../src/render/palette.js";

function harness() {
  const said: string[] = [];
  const output: Output = {
    palette: plain,
    out: (t) => said.push(t),
    err: (t) => said.push(t),
    verbose: false,
    isTTY: false,
  };
  const source = new EventEmitter();
  const exits: number[] = [];
  const interruption = watchInterrupts(
    output,
    {
      on: (s, l) => source.on(s, l),
      off: (s, l) => source.off(s, l),
    },
    (code) => exits.push(code),
  );
  const send = (signal: NodeJS.Signals) => source.emit(signal, signal);
  return { said, source, exits, interruption, send };
}

/** A walk that runs until released, so signals arrive while it is in progress. */
function pendingWalk(interruption: ReturnType<typeof harness>["interruption"]) {
  let finish: () => void = () => {};
  const done = interruption.walk(() => new Promise<void>((resolve) => (finish = resolve)));
  return { done, finish: () => finish() };
}

describe("Ctrl-C and SIGTERM", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("during an apply walk, a first Ctrl-C only stops new work; a second abandons the calls in flight", async () => {
    const { interruption, send, said } = harness();
    const walk = pendingWalk(interruption);
    send("SIGINT");
    expect(interruption.stop.aborted).toBe(true);
    expect(interruption.abort.aborted).toBe(false);
    expect(said.join("\n")).toContain("starting nothing new; waiting for operations in flight");
    send("SIGINT");
    expect(interruption.abort.aborted).toBe(true);
    expect(interruption.received()).toBe("SIGINT");
    walk.finish();
    await walk.done;
    interruption.dispose();
  });

  it("SIGTERM abandons the calls in flight at once, even during a walk", () => {
    const { interruption, send, said } = harness();
    void pendingWalk(interruption);
    send("SIGTERM");
    expect(interruption.stop.aborted).toBe(true);
    expect(interruption.abort.aborted).toBe(true);
    expect(said.join("\n")).toContain("Interrupted (SIGTERM): abandoning the AWS calls in flight.");
    interruption.dispose();
  });

  it("outside a walk (planning, taking the lock), the first Ctrl-C abandons the calls in flight", () => {
    const { interruption, send } = harness();
    send("SIGINT");
    expect(interruption.abort.aborted).toBe(true);
    interruption.dispose();
  });

  it("exits anyway when the run has not unwound by the deadline", () => {
    const { interruption, send, exits, said } = harness();
    send("SIGTERM");
    vi.advanceTimersByTime(UNWIND_DEADLINE_MS - 1);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(exits).toEqual([1]);
    expect(said.at(-1)).toContain("did not stop in time");
    interruption.dispose();
  });

  it("does not exit once the run has unwound and let go of the signals", () => {
    const { interruption, send, exits, source } = harness();
    send("SIGTERM");
    interruption.dispose();
    vi.advanceTimersByTime(UNWIND_DEADLINE_MS * 2);
    expect(exits).toEqual([]);
    expect(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM")).toBe(0);
  });

  it("a third signal exits at once, saying the lock may remain", () => {
    const { interruption, send, exits, said } = harness();
    void pendingWalk(interruption);
    send("SIGINT");
    send("SIGINT");
    expect(exits).toEqual([]);
    send("SIGINT");
    expect(exits).toEqual([1]);
    expect(said.at(-1)).toContain("parity unlock FILE --force");
    interruption.dispose();
  });
});
