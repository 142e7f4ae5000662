import type { CommandContext } from "../context.js";
import { printDiagnostics } from "../output.js";
import { load, wiringFindings } from "../workflow.js";

export function validateCommand(
  file: string,
  { global, output }: CommandContext,
  options: { strict?: boolean } = {},
): number {
  const { loaded, diagnostics } = load(file, global.region ? { region: global.region } : {});
  printDiagnostics(output, diagnostics);
  if (!loaded) return 1;
  const strict = options.strict === true;
  const wiring = wiringFindings(loaded, { strict });
  printDiagnostics(output, wiring);
  if (strict && wiring.length > 0) return 1;
  output.out(
    `${file}: valid (${loaded.environment.nodes.length} resources, environment ${loaded.info.environment}, ${loaded.info.region})` +
      (wiring.length ? `; ${wiring.length} wiring warning${wiring.length === 1 ? "" : "s"} above` : ""),
  );
  return 0;
}
