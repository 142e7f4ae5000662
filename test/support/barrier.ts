// Preloaded (`--import`) into CLI child processes that must start at the same moment: loads the
// CLI's modules (the slow part of start-up), announces itself with `<barrier>.<pid>.ready`, then
// holds the CLI back until the file `<barrier>.go` exists. cliBuild.ts compiles it beside the CLI,
// sharing its chunks, so what it loads is what the CLI then runs.
import { existsSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const barrier = process.env.PARITY_TEST_BARRIER;
if (barrier) {
  await import("../../src/cli/commands/apply.js");
  writeFileSync(`${barrier}.${process.pid}.ready`, "");
  const deadline = Date.now() + 60_000;
  while (!existsSync(`${barrier}.go`) && Date.now() < deadline) await sleep(5);
}
