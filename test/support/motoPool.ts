import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startMoto } from "../../src/emulator/moto.js";
import type { Emulator } from "../../src/emulator/moto.js";
import { ParityError } from "../../src/model/index.js";

/**
 * moto_servers owned by the test run's main process, one per test worker, started the first
 * time a worker asks (`GET /moto/<VITEST_POOL_ID>`, answered with `{ endpoint }` or `{ error }`).
 *
 * A worker runs one test file at a time and every test resets its emulator first, so a worker's
 * files can share one server: starting moto and warming its EC2 backend costs more CPU than most
 * test files. The main process owns them, so they stop with the run even when a worker dies.
 */
export async function startMotoPool(): Promise<{ url: string; close(): Promise<void> }> {
  const emulators = new Map<string, Promise<Emulator>>();
  const server = createServer((request, response) => {
    const id = /^\/moto\/(\w+)$/.exec(request.url ?? "")?.[1];
    if (!id) return void response.writeHead(404).end();
    // Starting Python takes many times longer on a loaded machine; only a hang should fail.
    if (!emulators.has(id)) emulators.set(id, startMoto({ startTimeoutMs: 150_000 }));
    const answer = (status: number, body: object) =>
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    (emulators.get(id) as Promise<Emulator>).then(
      (emulator) => answer(200, { endpoint: emulator.endpoint }),
      (error: unknown) => {
        // Say how to fix it in the test report itself, not only in the CLI's hint line.
        const hint = error instanceof ParityError && error.hint ? `; ${error.hint}` : "";
        answer(500, { error: `${error instanceof Error ? error.message : String(error)}${hint}` });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      const started = await Promise.allSettled(emulators.values());
      await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    },
  };
}
