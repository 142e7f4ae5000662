import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The two files the SDK reads profiles from, where it reads them (the env can move them). */
export function profileFiles(env: { [name: string]: string | undefined } = process.env): string[] {
  return [
    env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config"),
    env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), ".aws", "credentials"),
  ];
}

/**
 * Profile names in a shared config or credentials file: `[profile x]` in config, `[x]` in
 * credentials, `[default]` in both; `[sso-session …]` and `[services …]` are not profiles.
 */
export function profilesIn(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line)?.[1];
    if (!section) continue;
    const [first, ...rest] = section.split(/\s+/);
    if (rest.length === 0) names.push(section);
    else if (first === "profile") names.push(rest.join(" "));
  }
  return names;
}

export type ProfileSearch = { found: boolean; files: string[]; existing: string[]; known: string[] };

/** Where a profile was looked for, whether it is there, and which profiles are. */
export function findProfile(
  profile: string,
  env: { [name: string]: string | undefined } = process.env,
): ProfileSearch {
  const files = profileFiles(env);
  const existing = files.filter((f) => existsSync(f));
  const known = [...new Set(existing.flatMap((f) => profilesIn(readFileSync(f, "utf8"))))];
  return { found: known.includes(profile), files, existing, known };
}

/** `~/.aws/config` rather than the full home path. */
export function shortPath(path: string): string {
  const home = homedir();
  return path.startsWith(home + "/") ? `~${path.slice(home.length)}` : path;
}
