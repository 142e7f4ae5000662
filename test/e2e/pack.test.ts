import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/**
 * What a new user gets from `npm pack` (or the registry): the tarball installed into an empty
 * project, run from there, with nothing of this checkout on its path.
 */
describe("the packed package", () => {
  const dir = mkdtempSync(join(tmpdir(), "parity-pack-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("installs, prints its version, and runs the demo from its own files", async () => {
    await run("npm", ["pack", "--pack-destination", dir], { cwd: ROOT });
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    expect(tarball).toBeDefined();
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "try-parity", private: true }));
    await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        join(dir, tarball ?? ""),
      ],
      { cwd: project },
    );
    const cli = join(project, "node_modules", ".bin", "parity");

    const version = await run(cli, ["--version"], { cwd: project });
    expect(version.stdout.trim()).toBe(VERSION);

    const demo = await run(cli, ["demo", "chatmrpt", "--no-color"], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(demo.stdout).toContain("No changes.");
    expect(demo.stdout + demo.stderr).not.toContain("ENOENT");
    // Building, packing and installing a package is minutes of work on a loaded machine: this
    // bound only catches a hang.
  }, 900_000);
});
