import type { CommandContext } from "../context.js";
import { printDiagnostics } from "../output.js";
import { load } from "../workflow.js";

export function validateCommand(file: string, { global, output }: CommandContext): number {
  const { loaded, diagnostics } = load(file, global.region ? { region: global.region } : {});
  printDiagnostics(output, diagnostics);
  if (!loaded) return 1;
  output.out(
    `${file}: valid (${loaded.environment.nodes.length} resources, environment ${loaded.info.environment}, ${loaded.info.region})`,
  );
  return 0;
}
