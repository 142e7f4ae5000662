import { Command, InvalidArgumentError, Option } from "commander";
import { applyCommand } from "./commands/apply.js";
import { demoCommand } from "./commands/demo.js";
import { planCommand } from "./commands/plan.js";
import { validateCommand } from "./commands/validate.js";
import type { CommandContext, GlobalOptions } from "./context.js";
import { connectionFrom } from "./context.js";
import { makeOutput, printFailure } from "./output.js";

// The SDK warns on every run that it will need Node 22 from 2027; the README says so once instead.
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.name !== "NodeVersionSupportWarning")
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number ≥ 1");
  return n;
}

function contextOf(command: Command): CommandContext {
  const global = command.optsWithGlobals() as GlobalOptions;
  const output = makeOutput({ color: global.color !== false, verbose: global.verbose === true });
  return { global, output, connection: connectionFrom(global, output) };
}

/** Runs a command body, turning any failure of the outside world into one line and exit 1. */
async function run(
  command: Command,
  body: (context: CommandContext) => Promise<number> | number,
): Promise<void> {
  const context = contextOf(command);
  try {
    process.exitCode = await body(context);
  } catch (error) {
    printFailure(context.output, error);
    process.exitCode = 1;
  }
}

export function buildProgram(): Command {
  const program = new Command("parity")
    .description(
      "Keep AWS environments identical where they should be: plan and apply from one YAML file per environment.",
    )
    .option("--region <region>", "AWS region (overrides the file's region)")
    .option("--profile <profile>", "AWS profile from your shared config")
    .option(
      "--endpoint-url <url>",
      "send every AWS call to this endpoint (LocalStack, moto); also AWS_ENDPOINT_URL",
    )
    .option("--no-color", "plain output (also NO_COLOR)")
    .option("--verbose", "log every AWS call and show stack traces")
    .showHelpAfterError()
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : 1);
    });

  program
    .command("validate")
    .argument("<file>", "environment file")
    .description("parse, check schema and references; print every error")
    .action(function (this: Command, file: string) {
      return run(this, (context) => validateCommand(file, context));
    });

  program
    .command("plan")
    .argument("<file>", "environment file")
    .description("discover live state and print the plan")
    .option("--json", "print the plan as JSON (schemas/plan.schema.json)")
    .option("--detailed-exitcode", "exit 0 when there are no changes, 2 when there are")
    .action(function (this: Command, file: string, options: { json?: boolean; detailedExitcode?: boolean }) {
      return run(this, (context) => planCommand(file, options, context));
    });

  program
    .command("apply")
    .argument("<file>", "environment file")
    .description("converge the account to the file (asks for confirmation unless --auto-approve)")
    .option("--auto-approve", "apply without asking")
    .option("--allow-destroy", "allow destroying or replacing protected and data-holding resources")
    .addOption(new Option("--concurrency <n>", "operations at once").argParser(positiveInteger).default(10))
    .option("--no-wait", "do not wait for slow resources (distributions) to settle")
    .action(function (
      this: Command,
      file: string,
      options: { autoApprove?: boolean; allowDestroy?: boolean; concurrency: number; wait: boolean },
    ) {
      return run(this, (context) => applyCommand(file, options, context));
    });

  program
    .command("demo")
    .argument("[case]", "chatmrpt", "chatmrpt")
    .description("start a local AWS emulator, seed a case's before-state, plan, apply, re-plan to No changes")
    .action(function (this: Command, demoCase: string) {
      return run(this, (context) => demoCommand(demoCase, context));
    });

  return program;
}

await buildProgram().parseAsync(process.argv);
