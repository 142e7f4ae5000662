import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { seedChatmrpt } from "../../providers/aws/seeds/chatmrpt.js";
import { EXAMPLE_OLD_DISTRIBUTION, seedKhorium } from "../../providers/aws/seeds/khorium.js";
import { startMoto } from "../../emulator/moto.js";
import { protectionRefusal } from "../../engine/protection.js";
import type { Emulator } from "../../emulator/moto.js";
import { hasChanges, ParityError } from "../../model/index.js";
import { renderPlanText } from "../../render/text.js";
import type { CommandContext } from "../context.js";
import { packageRoot } from "../paths.js";
import { runApply } from "../applying.js";
import { showComparison } from "./demoCompare.js";
import { demoChecks } from "./demoChecks.js";
import { loadAndPlan } from "./plan.js";

type DemoCase = {
  title: string;
  files: string[];
  seed(endpoint: string, region: string): Promise<Record<string, string>>;
  /** Variables the file's secrets read; the demo sets harmless values when they are unset. */
  secrets?: Record<string, string>;
  /** The demo stands in for the reviewer who approved destroying protected resources. */
  allowDestroy?: boolean;
  /** The environment the migrated one is compared with, before the plan and after the apply. */
  compareWith?: string;
  /** A follow-up edit of the file, applied after the migration: the rollback. */
  rollback?: { title: string; edit(text: string): string };
};

const CASES: Record<string, DemoCase> = {
  khorium: {
    title:
      "khorium: promote the staging sandbox (HTTPS, CloudFront, restored database, DNS cutover), then roll back",
    files: ["staging.yaml", "dev.yaml"],
    compareWith: "dev.yaml",
    seed: seedKhorium,
    secrets: { STAGING_DATABASE_URL: "postgres://khorium:demo-secret@khorium-staging-db:5432/khorium" },
    allowDestroy: true,
    rollback: {
      title: "Rollback: point app.khorium.ai back at the old distribution (a one-line edit of the file)",
      edit: (text) =>
        text.replace(
          /- \{ name: app\.khorium\.ai, type: A, alias: distributions\.site \}/,
          `- { name: app.khorium.ai, type: A, alias: { dnsName: ${EXAMPLE_OLD_DISTRIBUTION} } }`,
        ),
    },
  },
  chatmrpt: {
    title: "chatmrpt: make staging match production (2 instances behind a sticky ALB)",
    files: ["staging.yaml", "production.yaml"],
    compareWith: "production.yaml",
    seed: seedChatmrpt,
  },
};

export const DEMO_CASES = Object.keys(CASES);

/** Copies a case's files to a scratch folder, swapping the example ids for the seeded ones. */
function substitute(text: string, ids: Record<string, string>): string {
  let out = text;
  for (const [example, real] of Object.entries(ids)) out = out.split(example).join(real);
  return out;
}

function stage(caseName: string, demo: DemoCase, ids: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `parity-demo-${caseName}-`));
  for (const name of demo.files) {
    const text = substitute(readFileSync(join(packageRoot(), "examples", caseName, name), "utf8"), ids);
    writeFileSync(
      join(dir, name),
      text.replace(/\$schema=\S+/, "$schema=" + join(packageRoot(), "schemas", "environment.schema.json")),
    );
  }
  return join(dir, demo.files[0] as string);
}

export async function demoCommand(caseName: string, context: CommandContext): Promise<number> {
  const demo = CASES[caseName];
  if (!demo)
    throw new ParityError(`unknown demo case "${caseName}"`, `one of: ${Object.keys(CASES).join(", ")}`);
  const { output } = context;
  const p = output.palette;
  process.env.AWS_ACCESS_KEY_ID ??= "demo";
  process.env.AWS_SECRET_ACCESS_KEY ??= "demo";
  output.out(p.bold(`parity demo — ${demo.title}`));
  output.out("Starting a local AWS emulator (moto_server)…");
  const emulator: Emulator = await startMoto();
  const stopOnSignal = () =>
    void emulator.stop().then(() => {
      output.err("Interrupted: emulator stopped.");
      process.exit(130);
    });
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    const connection = { ...context.connection, endpoint: emulator.endpoint };
    const run = { ...context, connection };
    output.out(`Emulator on ${emulator.endpoint}. Seeding the before-state…`);
    const ids = await seed(demo, emulator.endpoint);
    for (const [example, real] of Object.entries(ids))
      output.out(p.dim(`  (the file's ${example} is the seeded ${real})`));
    const file = stage(caseName, demo, ids);

    for (const [name, value] of Object.entries(demo.secrets ?? {})) process.env[name] ??= value;
    const shown = `${caseName}/${demo.files[0]}`;
    const compared = comparedFiles(caseName, demo, file);
    if (compared) await showComparison(compared.shown, compared.files, run);
    if (!(await converge(shown, file, demo.allowDestroy === true, run))) return 1;
    if (!(await replanClean(shown, file, run))) return 1;
    if (!(await demoChecks(shown, file, run))) return 1;
    if (compared) await showComparison(compared.shown, compared.files, run);

    if (demo.rollback) {
      output.out(p.bold(`\n${demo.rollback.title}`));
      writeFileSync(file, substitute(demo.rollback.edit(readFileSync(file, "utf8")), ids));
      if (!(await converge(shown, file, false, run))) return 1;
      if (!(await replanClean(shown, file, run))) return 1;
    }
    return 0;
  } finally {
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
    await emulator.stop();
    output.out(p.dim("Emulator stopped."));
  }
}

/** The other environment's staged copy beside the migrated one, and how the demo names both. */
function comparedFiles(caseName: string, demo: DemoCase, file: string) {
  if (!demo.compareWith) return undefined;
  const other = join(dirname(file), demo.compareWith);
  const shown: [string, string] = [`${caseName}/${demo.compareWith}`, `${caseName}/${demo.files[0]}`];
  return { shown, files: [other, file] as [string, string] };
}

/** plan, then apply with --auto-approve; false when anything failed. */
async function converge(
  shown: string,
  file: string,
  allowDestroy: boolean,
  context: CommandContext,
): Promise<boolean> {
  const { output } = context;
  const p = output.palette;
  output.out(p.bold(`\n$ parity plan ${shown}`));
  const session = await loadAndPlan(file, context);
  if (!session) return false;
  try {
    output.out(renderPlanText(session.plan, { palette: p, file: shown, allowDestroy }));
    if (!hasChanges(session.plan)) return true;
    const refusal = protectionRefusal(session.plan, false);
    if (refusal) {
      output.out(p.bold(`$ parity apply ${shown} --auto-approve`));
      output.out(p.remove(refusal));
      output.out(
        p.dim("(the demo plays the reviewer who approved this promotion, and re-runs with --allow-destroy)"),
      );
    }
    const flags = allowDestroy ? " --allow-destroy" : "";
    output.out(p.bold(`$ parity apply ${shown} --auto-approve${flags}`));
    const result = await runApply(session, { autoApprove: true, allowDestroy }, context);
    for (const f of result.failed) output.err(p.remove(`  ${f.address}: ${f.error}`));
    return result.failed.length === 0 && result.skipped.length === 0;
  } finally {
    session.ctx.destroy();
  }
}

async function replanClean(shown: string, file: string, context: CommandContext): Promise<boolean> {
  const { output } = context;
  output.out(output.palette.bold(`\n$ parity plan ${shown} --detailed-exitcode`));
  const again = await loadAndPlan(file, context);
  if (!again) return false;
  try {
    output.out(renderPlanText(again.plan, { palette: output.palette, file: shown }));
    return !hasChanges(again.plan);
  } finally {
    again.ctx.destroy();
  }
}

async function seed(demo: DemoCase, endpoint: string): Promise<Record<string, string>> {
  try {
    return await demo.seed(endpoint, "us-west-1");
  } catch (error) {
    throw new ParityError(
      `seeding the before-state failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
