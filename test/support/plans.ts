import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Change, Plan } from "../../src/model/index.js";
import { summarize } from "../../src/model/index.js";

/** A change with everything a test does not care about left empty. */
export function changeOf(partial: Partial<Change> & Pick<Change, "address" | "action">): Change {
  return {
    kind: partial.address.split(".")[0] as string,
    group: partial.address,
    before: null,
    after: null,
    attributes: [],
    dependsOn: [],
    protected: false,
    risks: [],
    notes: [],
    ...partial,
  };
}

export function planOf(changes: Change[], warnings: Plan["warnings"] = []): Plan {
  return {
    formatVersion: 1,
    environment: "staging",
    region: "us-west-1",
    changes,
    summary: summarize(changes),
    warnings,
  };
}

const FIXTURES = join(import.meta.dirname, "../fixtures/render");

/**
 * Compares with a golden file. A missing one fails: a test that wrote the file it then reads
 * would pass whatever the output. `UPDATE_GOLDEN=1` (re)writes them; review the diff first.
 */
export function golden(name: string, actual: string): void {
  const file = join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  if (!existsSync(file)) {
    throw new Error(`golden file ${name} is missing; write it with UPDATE_GOLDEN=1 npm test and review it`);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}
