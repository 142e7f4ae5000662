import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import type { ReadFile } from "./extends.js";

/** Runs git in a directory; stdout on success, undefined on any failure (git's own message is not for users). */
function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch {
    return undefined;
  }
}

/**
 * The file's nearest existing folder, and the path from there: a file may exist at the ref
 * but no longer on disk (even its folder may be gone), and git needs a real folder to run in.
 */
function existingBase(path: string): { dir: string; rest: string[] } {
  let dir = dirname(path);
  const rest = [basename(path)];
  while (!existsSync(dir)) {
    rest.unshift(basename(dir));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { dir, rest };
}

/**
 * A ReadFile that reads files as they were at a git commit (`--ref HEAD~1`), never touching the
 * working tree: `git show REF:<path from the repository root>`. Errors say which of the three
 * things went wrong: no repository, no such ref, or no such file at that ref.
 */
export function gitReader(ref: string): ReadFile {
  const verified = new Set<string>();
  return (path: string) => {
    const { dir, rest } = existingBase(path);
    const top = git(dir, ["rev-parse", "--show-toplevel"])?.trim();
    if (!top) throw new Error(`not inside a git repository, so --ref ${ref} cannot be read`);
    if (!verified.has(top)) {
      if (git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]) === undefined)
        throw new Error(`unknown git ref "${ref}" in ${top}`);
      verified.add(top);
    }
    // Git prints the top level with symlinks resolved (/tmp → /private/tmp): compare like with like.
    const inRepo = join(relative(realpathSync(top), realpathSync(dir)), ...rest)
      .split(sep)
      .join("/");
    const text = git(dir, ["show", `${ref}:${inRepo}`]);
    if (text === undefined) throw new Error(`${inRepo} does not exist at ${ref}`);
    return text;
  };
}
