import type { CommandContext } from "../context.js";
import { compareCommand } from "./compare.js";

/**
 * The demo's comparison step: the case's other environment beside the one it migrates, printed
 * the way `parity compare` prints it. Its exit code (2 while gaps remain) never fails the demo.
 */
export async function showComparison(
  shown: [string, string],
  files: [string, string],
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  output.out(output.palette.bold(`\n$ parity compare ${shown[0]} ${shown[1]}`));
  await compareCommand(files, { shownAs: shown }, context);
}
