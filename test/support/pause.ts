import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildRun } from "./child.js";
import { tempDir } from "./harness.js";

const PRELOAD = join(import.meta.dirname, "pause.mjs");

/**
 * Holds a CLI child at the first output matching `on` (see pause.mjs): pass `env` to the child,
 * `await paused(run)` until it stops there, do what must happen at that point, then `resume()`.
 */
export function pauseAt(on: RegExp): {
  env: Record<string, string>;
  paused(run: ChildRun, timeoutMs?: number): Promise<void>;
  resume(): void;
} {
  const file = join(tempDir(), "pause");
  return {
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${PRELOAD}`.trim(),
      PARITY_TEST_PAUSE_ON: on.source,
      PARITY_TEST_PAUSE_FILE: file,
    },
    async paused(run, timeoutMs = 240_000) {
      const deadline = Date.now() + timeoutMs;
      while (!existsSync(`${file}.paused`)) {
        if (run.child.exitCode !== null || run.child.signalCode !== null)
          throw new Error(`the CLI ended before printing ${on}:\n${run.output()}`);
        if (Date.now() > deadline) throw new Error(`the CLI never printed ${on}:\n${run.output()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    resume: () => writeFileSync(`${file}.go`, ""),
  };
}
