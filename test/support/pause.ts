import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./harness.js";

const PRELOAD = join(import.meta.dirname, "pause.mjs");

/**
 * Holds a CLI child at the first output matching `on` (see pause.mjs): pass `env` to the child,
 * `await paused()` until it stops there, do what must happen at that point, then `resume()`.
 */
export function pauseAt(on: RegExp): {
  env: Record<string, string>;
  paused(timeoutMs?: number): Promise<void>;
  resume(): void;
} {
  const file = join(tempDir(), "pause");
  return {
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${PRELOAD}`.trim(),
      PARITY_TEST_PAUSE_ON: on.source,
      PARITY_TEST_PAUSE_FILE: file,
    },
    async paused(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!existsSync(`${file}.paused`)) {
        if (Date.now() > deadline) throw new Error(`the CLI never printed ${on}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    resume: () => writeFileSync(`${file}.go`, ""),
  };
}
