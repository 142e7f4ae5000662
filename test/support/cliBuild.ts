import { build } from "esbuild";
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");

/** Where the compiled CLI for one test run lives, and the preload that holds it at a barrier. */
export type CompiledCli = { dir: string; main: string; barrier: string };

/**
 * Compiles the CLI from the current sources into one bundle (plus the barrier preload), for
 * every CLI child of a test run to share. A bundle starts faster than `dist/` (one file instead
 * of hundreds of modules) and far faster than transpiling with tsx in each child; built fresh
 * per run, it can never be stale.
 *
 * It lives under node_modules/.cache inside the package, so `packageRoot()` still finds the
 * schemas and examples from there. Both entries share their chunks, so the modules the barrier
 * preloads are the very ones the CLI then runs.
 */
export async function compileCli(): Promise<CompiledCli> {
  const parent = join(ROOT, "node_modules/.cache/parity-tests");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "cli-"));
  await build({
    absWorkingDir: ROOT,
    entryPoints: { main: "src/cli/main.ts", barrier: "test/support/barrier.ts" },
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The SDK's ES module builds, which esbuild can tree-shake: a 4 MB bundle instead of 7 MB,
    // and a child that starts on about 40% less CPU.
    mainFields: ["module", "main"],
    // Bundled CommonJS packages (ajv, parts of the SDK) call require().
    banner: {
      js: "import { createRequire as __parityRequire } from 'node:module'; const require = __parityRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  return { dir, main: join(dir, "main.mjs"), barrier: join(dir, "barrier.mjs") };
}
