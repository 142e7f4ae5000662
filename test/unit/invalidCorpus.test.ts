import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnvironment } from "../../src/config/index.js";
import { registered } from "../../src/cli/workflow.js";
import { formatDiagnostic } from "../../src/model/index.js";

const DIR = join(import.meta.dirname, "../fixtures/invalid");
const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<string, string>;
const files = readdirSync(DIR)
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => name.slice(0, -".yaml".length))
  .sort();

/** Files are loaded by their bare name, so messages read the same on every machine. */
function messages(name: string): string[] {
  const read = (path: string) => readFileSync(join(DIR, basename(path)), "utf8");
  // No secrets: the cases about unset variables must not depend on the shell running the tests.
  return loadEnvironment(`${name}.yaml`, { ...registered, read, secrets: {} }).diagnostics.map(
    formatDiagnostic,
  );
}

describe("the bad-input corpus", () => {
  it("has at least 80 cases, each with its expected message", () => {
    expect(files.length).toBeGreaterThanOrEqual(80);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)("%s.yaml is refused with exactly its message", (name) => {
    expect(messages(name)).toEqual([expected[name]]);
  });
});
