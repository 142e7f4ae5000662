import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Compiles the CLI once per run for every test that spawns it (test/support/child.ts).
    globalSetup: ["test/support/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration files each start their own moto_server; two cores, so keep parallelism modest.
    maxWorkers: 2,
    fileParallelism: true,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // CI also keeps a machine-readable result, from which .ci/run prints the plain closing tally.
    ...(process.env.CI ? { reporters: ["default", "json"], outputFile: { json: "test-results.json" } } : {}),
  },
});
