import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Terraform for the comparison column. The AWS provider is only ever installed from a local
 * mirror: PARITY_BENCH_TF_PLUGIN_DIR (a directory holding registry.terraform.io/hashicorp/aws/…,
 * passed to `terraform init -plugin-dir`), or a TF_CLI_CONFIG_FILE whose provider_installation
 * is a filesystem_mirror only. Anything else skips the column, with the reason.
 */
export type TerraformSetup =
  { ok: true; version: string; pluginDir?: string; cliConfig?: string } | { ok: false; reason: string };

export const PLUGIN_DIR_VARIABLE = "PARITY_BENCH_TF_PLUGIN_DIR";

export function terraformSetup(env: NodeJS.ProcessEnv = process.env): TerraformSetup {
  const probe = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: quietEnv(env) });
  if (probe.error || probe.status !== 0) return { ok: false, reason: "terraform is not on PATH" };
  const version = String((JSON.parse(probe.stdout) as { terraform_version?: string }).terraform_version);

  const pluginDir = env[PLUGIN_DIR_VARIABLE];
  if (pluginDir) {
    if (!existsSync(join(pluginDir, "registry.terraform.io", "hashicorp", "aws")))
      return { ok: false, reason: `${PLUGIN_DIR_VARIABLE} has no registry.terraform.io/hashicorp/aws in it` };
    return { ok: true, version, pluginDir };
  }
  const cliConfig = env.TF_CLI_CONFIG_FILE;
  if (cliConfig && existsSync(cliConfig)) {
    const text = readFileSync(cliConfig, "utf8");
    // A `direct` installation method could download from the registry: the bench never does.
    if (/filesystem_mirror/.test(text) && !/\bdirect\b/.test(text)) return { ok: true, version, cliConfig };
    return {
      ok: false,
      reason: `TF_CLI_CONFIG_FILE does not restrict provider installation to a filesystem_mirror`,
    };
  }
  return {
    ok: false,
    reason: `set ${PLUGIN_DIR_VARIABLE} to a local provider mirror holding hashicorp/aws (the bench never downloads providers)`,
  };
}

function quietEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

export type RunResult = { code: number; stdout: string; stderr: string; seconds: number };

/** One terraform command in `dir`; a non-zero exit is returned, not thrown (plan -detailed-exitcode uses 2). */
export function terraform(
  setup: Extract<TerraformSetup, { ok: true }>,
  dir: string,
  args: string[],
  timeoutMs = 300_000,
): Promise<RunResult> {
  // With a plugin dir, our own CLI config replaces the user's, so nothing of theirs applies here.
  const cliConfig = setup.cliConfig ?? join(dir, "bench.tfrc");
  if (!setup.cliConfig && !existsSync(cliConfig)) writeFileSync(cliConfig, "disable_checkpoint = true\n");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], {
      cwd: dir,
      env: { ...quietEnv(process.env), TF_CLI_CONFIG_FILE: cliConfig },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) =>
      resolve({ code: code ?? -1, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

export async function terraformInit(
  setup: Extract<TerraformSetup, { ok: true }>,
  dir: string,
): Promise<RunResult> {
  return terraform(setup, dir, [
    "init",
    "-input=false",
    ...(setup.pluginDir ? [`-plugin-dir=${setup.pluginDir}`] : []),
  ]);
}

/** "Plan: 3 to add, 0 to change, 0 to destroy." → 3 changes; "No changes." → 0. */
export function plannedChanges(output: string): number | undefined {
  if (/No changes\./.test(output)) return 0;
  const m = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(output);
  return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) : undefined;
}
