import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./harness.js";

/** Copies an example's file to a scratch folder, swapping the example ids for the seeded ones. */
export function stageExample(example: string, file: string, ids: Record<string, string>): string {
  let text = readFileSync(join(import.meta.dirname, "../../examples", example, file), "utf8");
  for (const [from, to] of Object.entries(ids)) text = text.split(from).join(to);
  const target = join(tempDir(), file);
  writeFileSync(target, text);
  return target;
}

/** Rewrites a staged file in place. */
export function editFile(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}
