import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedChatmrpt } from "../../../examples/chatmrpt/before.js";
import { startMoto } from "../../emulator/moto.js";
import type { Emulator } from "../../emulator/moto.js";
import { hasChanges, ParityError } from "../../model/index.js";
import { renderPlanText } from "../../render/text.js";
import type { CommandContext } from "../context.js";
import { packageRoot } from "../paths.js";
import { runApply } from "./apply.js";
import { loadAndPlan } from "./plan.js";

type DemoCase = {
  title: string;
  files: string[];
  seed(endpoint: string, region: string): Promise<Record<string, string>>;
};

const CASES: Record<string, DemoCase> = {
  chatmrpt: {
    title: "chatmrpt: make staging match production (2 instances behind a sticky ALB)",
    files: ["staging.yaml"],
    seed: seedChatmrpt,
  },
};

/** Copies a case's files to a scratch folder, swapping the example ids for the seeded ones. */
function stage(caseName: string, demo: DemoCase, ids: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `parity-demo-${caseName}-`));
  for (const name of demo.files) {
    let text = readFileSync(join(packageRoot(), "examples", caseName, name), "utf8");
    for (const [example, real] of Object.entries(ids)) text = text.split(example).join(real);
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
  const stopOnSignal = () => void emulator.stop().then(() => process.exit(130));
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

    output.out(p.bold(`\n$ parity plan ${caseName}/${demo.files[0]}`));
    const session = await loadAndPlan(file, run);
    if (!session) return 1;
    output.out(renderPlanText(session.plan, { palette: p, file: demo.files[0] }));

    output.out(p.bold(`$ parity apply ${caseName}/${demo.files[0]} --auto-approve`));
    const result = await runApply(session, { autoApprove: true }, output);
    session.ctx.destroy();
    if (result.failed.length > 0) {
      for (const f of result.failed) output.err(p.remove(`  ${f.address}: ${f.error}`));
      return 1;
    }

    output.out(p.bold(`\n$ parity plan ${caseName}/${demo.files[0]}`));
    const again = await loadAndPlan(file, run);
    if (!again) return 1;
    output.out(renderPlanText(again.plan, { palette: p, file: demo.files[0] }));
    again.ctx.destroy();
    return hasChanges(again.plan) ? 1 : 0;
  } finally {
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
    await emulator.stop();
    output.out(p.dim("Emulator stopped."));
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
