// Preloaded into a CLI child (NODE_OPTIONS=--import) that a test must hold at one exact point: the
// first time the child writes text matching PARITY_TEST_PAUSE_ON, it writes the text, creates
// `<PARITY_TEST_PAUSE_FILE>.paused` and blocks its whole event loop until `<…>.go` exists (ten
// minutes at most). The test changes the world meanwhile, deterministically between two steps of
// the run. Plain JavaScript, so it loads however the CLI is run (through tsx, or compiled).
import { existsSync, writeFileSync } from "node:fs";
import process from "node:process";

const pattern = process.env.PARITY_TEST_PAUSE_ON;
const file = process.env.PARITY_TEST_PAUSE_FILE;
if (pattern && file) {
  const matches = new RegExp(pattern);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  let paused = false;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      const result = write(chunk, ...rest);
      if (!paused && matches.test(String(chunk))) {
        paused = true;
        writeFileSync(`${file}.paused`, String(process.pid));
        const deadline = Date.now() + 600_000;
        while (!existsSync(`${file}.go`) && Date.now() < deadline) Atomics.wait(nap, 0, 0, 20);
      }
      return result;
    };
  }
}
