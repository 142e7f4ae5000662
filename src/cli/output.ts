import { Chalk } from "chalk";
import type { Diagnostic } from "../model/index.js";
import { formatDiagnostic, ParityError } from "../model/index.js";
import { describeAwsFailure, isAwsCallFailure } from "../providers/aws/index.js";
import type { Palette } from "../render/palette.js";
import { plain } from "../render/palette.js";

export type Output = {
  palette: Palette;
  out(text: string): void;
  err(text: string): void;
  verbose: boolean;
  isTTY: boolean;
};

/** Colour only when asked for and allowed: --no-color and NO_COLOR both turn it off. */
export function makeOutput(options: { color: boolean; verbose: boolean }): Output {
  const useColor = options.color && !("NO_COLOR" in process.env) && process.stdout.isTTY === true;
  const chalk = new Chalk({ level: useColor ? 1 : 0 });
  const palette: Palette = useColor
    ? {
        add: chalk.green,
        change: chalk.yellow,
        remove: chalk.red,
        replace: chalk.magenta,
        note: chalk.cyan,
        bold: chalk.bold,
        dim: chalk.dim,
      }
    : plain;
  return {
    palette,
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
    verbose: options.verbose,
    isTTY: process.stdout.isTTY === true && process.stdin.isTTY === true,
  };
}

export function printDiagnostics(output: Output, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics)
    output.err((d.severity === "error" ? output.palette.remove("error: ") : "") + formatDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) output.err(`${errors} error${errors === 1 ? "" : "s"}; nothing was changed.`);
}

/**
 * One clear line (and a fix) for any failure; a stack trace only with --verbose. An AWS call's
 * error that reached here undescribed (the re-read after apply, say) is described on the way out.
 */
export function printFailure(output: Output, thrown: unknown): void {
  const error = isAwsCallFailure(thrown) ? describeAwsFailure(thrown, undefined) : thrown;
  if (error instanceof ParityError) {
    output.err(`${output.palette.remove("error:")} ${error.message}`);
    if (error.hint) output.err(`  ${error.hint}`);
  } else {
    output.err(
      `${output.palette.remove("error:")} ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (output.verbose && thrown instanceof Error && thrown.stack) output.err(thrown.stack);
}
