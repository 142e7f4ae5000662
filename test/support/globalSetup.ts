import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { compileCli } from "./cliBuild.js";
import type { CompiledCli } from "./cliBuild.js";
import { startMotoPool } from "./motoPool.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The CLI compiled once for this run; see test/support/child.ts. */
    parityCli: CompiledCli;
    /** Where a worker asks for its moto_server; see test/support/motoPool.ts. */
    motoPool: string;
  }
}

/** Once per `npm test`: compile the CLI the tests spawn, own the emulators, clean up after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cli = await compileCli();
  const pool = await startMotoPool();
  project.provide("parityCli", cli);
  project.provide("motoPool", pool.url);
  return async () => {
    await pool.close();
    rmSync(cli.dir, { recursive: true, force: true });
  };
}
