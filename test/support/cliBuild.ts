import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { bundleCli, ROOT } from "../../build/bundle.js";

/** Where the compiled CLI for one test run lives, and the preload that holds it at a barrier. */
export type CompiledCli = { dir: string; main: string; barrier: string };

/**
 * Compiles the CLI from the current sources the way `npm run build` does (build/bundle.ts), plus
 * the barrier preload, for every CLI child of a test run to share. Built fresh per run, it can
 * never be stale, and it is what users run: the precompiled validator and the SDK loaded on
 * first use included.
 *
 * It lives under node_modules/.cache inside the package, so `packageRoot()` still finds the
 * schemas and examples from there. Both entries share their chunks, so the modules the barrier
 * preloads are the very ones the CLI then runs.
 */
export async function compileCli(): Promise<CompiledCli> {
  const parent = join(ROOT, "node_modules/.cache/parity-tests");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "cli-"));
  await bundleCli({ main: "src/cli/main.ts", barrier: "test/support/barrier.ts" }, dir);
  return { dir, main: join(dir, "main.mjs"), barrier: join(dir, "barrier.mjs") };
}
