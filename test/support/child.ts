import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { inject } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

/**
 * `barrier`: a path prefix; the child waits for `<barrier>.go` before running (see barrier.ts).
 * `main`: another copy of the compiled CLI's entry, for a test that alters the build's files.
 */
export type ChildOptions = {
  endpoint: string;
  cwd?: string;
  env?: Record<string, string>;
  barrier?: string;
  main?: string;
};

export type ChildResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

export type ChildRun = { child: ChildProcess; done: Promise<ChildResult>; output(): string };

/**
 * Starts the real CLI against an emulator in a child process, for exit codes and signals (it
 * never sees a terminal). It runs the CLI compiled once for the whole test run (see
 * globalSetup.ts), given by absolute path, so the child may run in any folder.
 */
export function startParity(args: string[], options: ChildOptions): ChildRun {
  const cli = inject("parityCli");
  const preload = options.barrier ? ["--import", cli.barrier] : [];
  const node = [...preload, options.main ?? cli.main, "--endpoint-url", options.endpoint, ...args];
  const child = spawn(process.execPath, node, {
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_REGION: "us-west-1",
      NO_COLOR: "1",
      ...options.env,
      ...(options.barrier ? { PARITY_TEST_BARRIER: options.barrier } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ChildResult>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, output: () => stdout + stderr };
}

export function parity(args: string[], options: ChildOptions): Promise<ChildResult> {
  return startParity(args, options).done;
}

/**
 * Resolves as soon as the child's output matches; rejects if it exits first. No clock of its
 * own: on a slow machine it waits longer, and only the test's timeout (a hang) stops it.
 */
export function waitForOutput(run: ChildRun, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      run.child.stdout?.off("data", check);
      run.child.stderr?.off("data", check);
    };
    function check() {
      if (!pattern.test(run.output())) return;
      stop();
      resolve();
    }
    // Added after the listeners that collect the output, so `output()` already has the chunk.
    run.child.stdout?.on("data", check);
    run.child.stderr?.on("data", check);
    void run.done.then(() => {
      stop();
      if (pattern.test(run.output())) resolve();
      else reject(new Error(`the CLI exited before printing ${pattern}:\n${run.output()}`));
    });
    check();
  });
}
