import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as {
  version: string;
};

describe("parity --version", () => {
  it("prints the package's version and nothing else", async () => {
    // No AWS call is made: the endpoint is never contacted.
    const result = await parity(["--version"], { endpoint: "http://127.0.0.1:9" });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });
});
