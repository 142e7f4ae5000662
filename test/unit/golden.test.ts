import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { golden } from "../support/plans.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("golden files", () => {
  it("fails for a missing golden file instead of writing it", () => {
    vi.stubEnv("UPDATE_GOLDEN", "");
    expect(() => golden("never-written.txt", "anything")).toThrow(
      "golden file never-written.txt is missing; write it with UPDATE_GOLDEN=1 npm test and review it",
    );
    expect(existsSync(join(import.meta.dirname, "../fixtures/render/never-written.txt"))).toBe(false);
  });

  it("fails when the output differs from the golden file", () => {
    vi.stubEnv("UPDATE_GOLDEN", "");
    expect(() => golden("no-changes.txt", "something else")).toThrow();
  });
});
