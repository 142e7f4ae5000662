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

/** A whole environment file, as opposed to a fragment showing one section (`checks:`, say). */
function isWholeFile(block: string): boolean {
  return /^environment:/m.test(block);
}

describe("the README's examples", () => {
  const blocks = yamlBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));
  const files = blocks.filter(isWholeFile);
  const fragments = blocks.filter((b) => !isWholeFile(b));

  it("has examples to run", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((block, i) => [i, block] as const))(
    "validates and plans file %i as written, with no secret set",
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

  // A fragment is read as a reader would use it: added to the README's first file.
  it.each(fragments.map((block, i) => [i, block] as const))(
    "validates fragment %i as part of the README's file",
    (_i, block) => {
      const file = placed(`${files[0] ?? ""}\n${block}`);
      const { diagnostics } = load(file, { secrets: {} });
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    },
  );
});
