import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ParityError } from "../model/index.js";

export const MOTO_INSTALL_HINT = 'install it with: pip install "moto[server]"';

/** A moto_server this process started, on a free loopback port; `stop()` kills only that process. */
export type Emulator = { endpoint: string; port: number; stop(): Promise<void>; reset(): Promise<void> };

export function motoAvailable(): boolean {
  const probe = spawnSync("moto_server", ["--help"], { stdio: "ignore" });
  return !probe.error && probe.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `cwd` is where moto writes files of its own, such as the recorder's `moto_recording`;
 * `startTimeoutMs` how long it may take to answer (default 30 s; a test run on a loaded
 * machine allows more).
 */
export async function startMoto(
  options: { log?: (line: string) => void; cwd?: string; startTimeoutMs?: number } = {},
): Promise<Emulator> {
  if (!motoAvailable()) {
    throw new ParityError(
      "moto_server was not found on PATH: the local AWS emulator is required",
      MOTO_INSTALL_HINT,
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    env: {
      ...process.env,
      // Certificates are issued at once instead of after 60 s; bogus AMIs and types are rejected like AWS does.
      MOTO_ACM_VALIDATION_WAIT: "0",
      MOTO_ENABLE_AMI_VALIDATION: "true",
      MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION: "true",
    },
    // moto logs every request; a pipe nobody drains (say, while a caller blocks in spawnSync)
    // fills up and freezes the emulator, so its output goes nowhere unless someone reads it.
    stdio: options.log ? ["ignore", "pipe", "pipe"] : "ignore",
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const log = options.log;
  if (log) {
    child.stdout?.on("data", (d: Buffer) => log(d.toString()));
    child.stderr?.on("data", (d: Buffer) => log(d.toString()));
  }
  const endpoint = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once("exit", () => (exited = true));
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) throw new ParityError("moto_server exited during start-up", MOTO_INSTALL_HINT);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new ParityError(
        `moto_server did not answer on ${endpoint} within ${Math.round(startTimeoutMs / 1000)} s`,
      );
    }
    await sleep(100);
  }
  return {
    endpoint,
    port,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await Promise.race([gone, sleep(3000).then(() => child.kill("SIGKILL"))]);
    },
  };
}
