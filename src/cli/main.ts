import { Command, InvalidArgumentError, Option } from "commander";
import type { CompareOptions } from "./commands/compare.js";
import type { ExportCommandOptions } from "./commands/export.js";
import type { PlanOptions, ScopeOptions } from "./commands/plan.js";
import type { CommandContext, GlobalOptions } from "./context.js";
import { packageVersion } from "./paths.js";

// The SDK warns on every run that it will need Node 22 from 2027; the README says so once instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number ≥ 1");
  return n;
}

/** `--target a --target b` → ["a", "b"]. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Help for the options that choose what plan and apply look at (engine/targeting.ts, config/git.ts). */
const TARGET_HELP = "only this kind, resource or node, and what it depends on (repeatable)";
const EXCLUDE_HELP = "leave this kind, resource or node out (repeatable)";
const REPLACE_HELP = "replace this resource or node although nothing forces it (repeatable)";
const REF_HELP = "use the file (and what it extends) as it was at this git commit";

async function contextOf(command: Command): Promise<CommandContext> {
  const [{ connectionFrom }, { watchInterrupts }, { makeOutput }] = await Promise.all([
    import("./context.js"),
    import("./interruption.js"),
    import("./output.js"),
  ]);
  const global = command.optsWithGlobals() as GlobalOptions;
  const output = makeOutput({ color: global.color !== false, verbose: global.verbose === true });
  const interruption = watchInterrupts(output);
  return { global, output, connection: connectionFrom(global, output, interruption), interruption };
}

/**
 * Runs a command body, turning any failure of the outside world into one line and exit 1. Each
 * command's modules are imported only when it runs, so `--help` and `validate` never load what
 * `plan` and `apply` need.
 */
async function run(
  command: Command,
  body: (context: CommandContext) => Promise<number> | number,
): Promise<void> {
  const context = await contextOf(command);
  try {
    process.exitCode = await body(context);
  } catch (error) {
    const { printFailure } = await import("./output.js");
    printFailure(context.output, error);
    process.exitCode = 1;
  } finally {
    context.interruption.dispose();
  }
  // An interrupted run has said what it stopped; nothing it abandoned may keep the process alive.
  if (context.interruption.received()) {
    process.exitCode = process.exitCode || 1;
    setTimeout(() => process.exit(), 1000).unref();
  }
}

export function buildProgram(): Command {
  const program = new Command("parity")
    .description(
      "Keep AWS environments identical where they should be: plan and apply from one YAML file per environment.",
    )
    .version(packageVersion(), "-V, --version", "print parity's version")
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
    .description("parse, check schema, references and wiring; print every error")
    .option("--strict", "wiring warnings are errors (exit 1)")
    .action(function (this: Command, file: string, options: { strict?: boolean }) {
      return run(this, async (context) =>
        (await import("./commands/validate.js")).validateCommand(file, context, options),
      );
    });

  program
    .command("plan")
    .argument("<file>", "environment file")
    .description("discover live state and print the plan")
    .option("--json", "print the plan as JSON (schemas/plan.schema.json)")
    .option("--detailed-exitcode", "exit 0 when there are no changes, 2 when there are")
    .addOption(
      new Option("--markdown", "print the plan as Markdown for a pull-request comment").conflicts("json"),
    )
    .option("--out <plan>", "also save the plan, for `parity apply PLAN` to apply exactly it")
    .option("--strict", "wiring warnings are errors (exit 1)")
    .option("--target <address>", TARGET_HELP, collect)
    .option("--exclude <address>", EXCLUDE_HELP, collect)
    .option("--replace <address>", REPLACE_HELP, collect)
    .option("--ref <gitref>", REF_HELP)
    .action(function (this: Command, file: string, options: PlanOptions) {
      return run(this, async (context) =>
        (await import("./commands/plan.js")).planCommand(file, options, context),
      );
    });

  program
    .command("apply")
    .argument("<file>", "environment file, or a plan saved with `parity plan --out`")
    .description("converge the account to the file (asks for confirmation unless --auto-approve)")
    .option("--auto-approve", "apply without asking")
    .option("--allow-destroy", "allow destroying or replacing protected and data-holding resources")
    .addOption(new Option("--concurrency <n>", "operations at once").argParser(positiveInteger).default(10))
    .option("--no-wait", "do not wait for slow resources (distributions) to settle")
    .option("--no-checks", "do not run the file's smoke checks after a successful apply")
    .option("--target <address>", TARGET_HELP, collect)
    .option("--exclude <address>", EXCLUDE_HELP, collect)
    .option("--replace <address>", REPLACE_HELP, collect)
    .option("--ref <gitref>", REF_HELP)
    .action(function (
      this: Command,
      file: string,
      options: {
        autoApprove?: boolean;
        allowDestroy?: boolean;
        concurrency: number;
        wait: boolean;
        checks: boolean;
      } & ScopeOptions,
    ) {
      return run(this, async (context) =>
        (await import("./commands/apply.js")).applyCommand(file, options, context),
      );
    });

  program
    .command("show")
    .argument("<plan>", "a plan saved with `parity plan --out`")
    .description("render a saved plan (reads nothing live)")
    .addOption(new Option("--json", "print the plan as JSON (schemas/plan.schema.json)"))
    .addOption(new Option("--markdown", "print the plan as Markdown").conflicts("json"))
    .action(function (this: Command, plan: string, options: { json?: boolean; markdown?: boolean }) {
      return run(this, async (context) =>
        (await import("./commands/show.js")).showCommand(plan, options, context),
      );
    });

  program
    .command("compare")
    .argument("<fileA>", "the environment to compare with (production, say)")
    .argument("<fileB>", "the environment compared (staging, say)")
    .description("discover both environments live and print where B's shape differs from A's")
    .option("--json", "print the comparison as JSON (schemas/compare.schema.json)")
    .addOption(new Option("--markdown", "print the comparison as Markdown").conflicts("json"))
    .option("--profile-a <profile>", "AWS profile for FILE_A's account (else its `profile:`)")
    .option("--profile-b <profile>", "AWS profile for FILE_B's account (else its `profile:`)")
    .action(function (this: Command, fileA: string, fileB: string, options: CompareOptions) {
      return run(this, async (context) =>
        (await import("./commands/compare.js")).compareCommand([fileA, fileB], options, context),
      );
    });

  program
    .command("unlock")
    .argument("<file>", "environment file")
    .description("remove the environment's apply lock left by a dead run (needs --force)")
    .option("--force", "remove the lock whoever holds it")
    .action(function (this: Command, file: string, options: { force?: boolean }) {
      return run(this, async (context) =>
        (await import("./commands/unlock.js")).unlockCommand(file, options, context),
      );
    });

  program
    .command("check")
    .argument("<file>", "environment file")
    .description(
      "run the file's smoke checks (http, targetHealth, dns, tls, tcp) against the live environment",
    )
    .action(function (this: Command, file: string) {
      return run(this, async (context) => (await import("./commands/check.js")).checkCommand(file, context));
    });

  program
    .command("export")
    .description(
      "write live resources of a region as an environment file (references as addresses, no secrets)",
    )
    .requiredOption("--environment <name>", "the environment the written file names")
    .option("--project <project>", "the project the environment belongs to (its ownership tags)")
    .option(
      "--select <kind:pattern>",
      "resources of a kind whose name matches the pattern (repeatable)",
      collect,
    )
    .option("--tag <key=value>", "resources carrying this tag (repeatable)", collect)
    .option("--follow", "also what the selected resources refer to")
    .option("--image-from-instance", "write an instance's AMI as { fromInstance: i-… } instead of its id")
    .option("--out <file>", "write the file there instead of stdout")
    .action(function (this: Command, options: ExportCommandOptions) {
      return run(this, async (context) =>
        (await import("./commands/export.js")).exportCommand(options, context),
      );
    });

  program
    .command("demo")
    .argument("[case]", "khorium (default) or chatmrpt", "khorium")
    .description("start a local AWS emulator, seed a case's before-state, plan, apply, re-plan to No changes")
    .action(function (this: Command, demoCase: string) {
      return run(this, async (context) =>
        (await import("./commands/demo.js")).demoCommand(demoCase, context),
      );
    });

  return program;
}

await buildProgram().parseAsync(process.argv);
