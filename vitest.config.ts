import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Compiles the CLI once per run for every test that spawns it (test/support/child.ts).
    globalSetup: ["test/support/globalSetup.ts"],
    // Timeouts only catch a hang: no test waits on wall time (unit tests use fake timers,
    // integration tests wait on conditions), so they are set far beyond any test's run on a
    // loaded two-core machine, where the slowest takes a few times its idle 10 s.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: one file per core, each worker with its own moto_server (motoPool.ts).
    maxWorkers: 2,
    fileParallelism: true,
    // A worker loads the SDK and the sources once, not again for every file: re-importing them
    // per file cost more CPU than most unit tests. Tests keep no state in shared modules.
    isolate: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // CI also keeps a machine-readable result, from which .ci/run prints the plain closing tally.
    ...(process.env.CI ? { reporters: ["default", "json"], outputFile: { json: "test-results.json" } } : {}),
  },
});
