import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { load, planLoaded } from "../../src/cli/workflow.js";
import { useMoto } from "../support/harness.js";

const { emulator } = useMoto();
const ROOT = join(import.meta.dirname, "../..");

/** Every ```yaml block of the README, in order. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");
}

/**
 * A new user copies the README's file into `environments/`, beside `base.yaml` (as the README
 * says), and plans it against an account that has nothing but what AWS gives every account.
 */
function placed(block: string): string {
  const dir = mkdtempSync(join(tmpdir(), "parity-readme-"));
  copyFileSync(join(ROOT, "environments", "base.yaml"), join(dir, "base.yaml"));
  const file = join(dir, "trial.yaml");
  writeFileSync(file, block);
  return file;
}

describe("the README's examples", () => {
  const blocks = yamlBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));

  it("has examples to run", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block, i) => [i, block] as const))(
    "validates and plans block %i as written, with no secret set",
    async (_i, block) => {
      const file = placed(block);
      const { loaded, diagnostics } = load(file, { secrets: {} });
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const session = await planLoaded(loaded!, { endpoint: emulator().endpoint });
      try {
        expect(session.errors).toEqual([]);
        expect(session.plan.changes.length).toBeGreaterThan(0);
      } finally {
        session.ctx.destroy();
      }
    },
  );
});
