import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * One command as a user runs it: wall time from spawn to exit, and where measurable its peak
 * memory and CPU time (user + system), which tells its own work from the time it waits.
 */
export type Measured = {
  code: number;
  seconds: number;
  peakMb?: number;
  cpuSeconds?: number;
  stdout: string;
  stderr: string;
};

/**
 * GNU time reports the peak resident memory of the largest process of the command's tree, and
 * the CPU time of the command and the children it waited for.
 */
const GNU_TIME = "/usr/bin/time";
const hasGnuTime = existsSync(GNU_TIME);
const PEAK = "parity-bench-peak-kb=";
const REPORT = new RegExp(`${PEAK}(\\d+) cpu=([\\d.]+)\\+([\\d.]+)`);

export function measure(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Measured> {
  const [file, argv] = hasGnuTime
    ? [GNU_TIME, ["-f", `${PEAK}%M cpu=%U+%S`, command, ...args]]
    : [command, args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 600_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const report = REPORT.exec(stderr);
      resolve({
        code: code ?? -1,
        seconds,
        ...(report
          ? { peakMb: Number(report[1]) / 1024, cpuSeconds: Number(report[2]) + Number(report[3]) }
          : {}),
        stdout,
        stderr: stderr.replace(new RegExp(`.*${PEAK}.*\\n?`), ""),
      });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}
