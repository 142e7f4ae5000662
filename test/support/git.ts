import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A throwaway git repository whose history the test writes commit by commit. */
export function gitRepository(): {
  dir: string;
  commit(files: Record<string, string>, message: string): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "parity-git-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "--quiet");
  git("config", "user.name", "parity tests");
  git("config", "user.email", "tests@example.com");
  git("config", "commit.gpgsign", "false");
  return {
    dir,
    commit(files, message) {
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      git("add", "--all");
      git("commit", "--quiet", "-m", message);
    },
  };
}
