import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { compileCli } from "./cliBuild.js";
import type { CompiledCli } from "./cliBuild.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The CLI compiled once for this run; see test/support/child.ts. */
    parityCli: CompiledCli;
  }
}

/** Once per `npm test`: compile the CLI the tests spawn, and remove it afterwards. */
export default async function setup(project: TestProject): Promise<() => void> {
  const cli = await compileCli();
  project.provide("parityCli", cli);
  return () => rmSync(cli.dir, { recursive: true, force: true });
}
