import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startParity } from "./child.js";
import type { ChildOptions, ChildRun } from "./child.js";

/**
 * Starts CLI runs that wait at one barrier until every one has loaded, then lets them all go at
 * once, so they really race (for a lock, say) instead of the first to start winning by default.
 */
export async function startTogether(
  runs: { args: string[]; options: Omit<ChildOptions, "barrier"> }[],
  timeoutMs = 60_000,
): Promise<ChildRun[]> {
  const dir = mkdtempSync(join(tmpdir(), "parity-barrier-"));
  const barrier = join(dir, "barrier");
  const children = runs.map((r) => startParity(r.args, { ...r.options, barrier }));
  const deadline = Date.now() + timeoutMs;
  while (readdirSync(dir).filter((f) => f.endsWith(".ready")).length < runs.length) {
    if (Date.now() > deadline) throw new Error("the CLI runs never reached the barrier");
    await new Promise((r) => setTimeout(r, 20));
  }
  writeFileSync(`${barrier}.go`, "");
  return children;
}
