import { renderComparisonJson } from "../../render/compareJson.js";
import { renderComparisonMarkdown } from "../../render/compareMarkdown.js";
import { renderComparisonText } from "../../render/compareText.js";
import { comparedEnvironment, compareSessions, profileOf, unknownExpectationErrors } from "../comparing.js";
import type { CommandContext } from "../context.js";
import { printDiagnostics } from "../output.js";
import { load, planLoaded } from "../workflow.js";
import type { PlanSession } from "../workflow.js";

export type CompareOptions = {
  json?: boolean;
  markdown?: boolean;
  profileA?: string;
  profileB?: string;
  /** How the output names the files (the demo's copies in a scratch folder); the paths by default. */
  shownAs?: [string, string];
};

/**
 * Discovers both environments at once (each in its own region, with its own profile), plans each
 * against its own file, and prints where B's live shape differs from A's. Exit 0 same shape, 2 gaps.
 */
export async function compareCommand(
  files: [string, string],
  options: CompareOptions,
  context: CommandContext,
): Promise<number> {
  const { output, connection } = context;
  const results = files.map((file) => load(file));
  printDiagnostics(
    output,
    results.flatMap((r) => r.diagnostics),
  );
  const [loadedA, loadedB] = results.map((r) => r.loaded);
  if (!loadedA || !loadedB) return 1;
  const profiles = [profileOf(loadedA, options.profileA), profileOf(loadedB, options.profileB)];
  const sessions: PlanSession[] = [];
  try {
    const settled = await Promise.allSettled(
      [loadedA, loadedB].map((loaded, i) => {
        const profile = profiles[i];
        // Two live shapes side by side: whether a bucket is empty shows there, though no plan needs it.
        return planLoaded(loaded, { ...connection, fullShape: true, ...(profile ? { profile } : {}) });
      }),
    );
    for (const s of settled) if (s.status === "fulfilled") sessions.push(s.value);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    const [sessionA, sessionB] = sessions as [PlanSession, PlanSession];
    // A side whose plan has errors (a certificate that does not exist) still has a live shape.
    printDiagnostics(
      output,
      sessions.flatMap((s) => s.errors.map((d) => ({ ...d, severity: "warning" as const }))),
    );
    const [shownA, shownB] = options.shownAs ?? files;
    const sides = [comparedEnvironment(shownA, sessionA), comparedEnvironment(shownB, sessionB)] as const;
    const unknown = unknownExpectationErrors([...sides], [loadedA, loadedB]);
    if (unknown.length > 0) {
      printDiagnostics(output, unknown);
      return 1;
    }
    const comparison = compareSessions(sides[0], sides[1]);
    output.out(
      options.json
        ? renderComparisonJson(comparison)
        : options.markdown
          ? renderComparisonMarkdown(comparison)
          : renderComparisonText(comparison, { palette: output.palette }),
    );
    return comparison.summary.differences > 0 ? 2 : 0;
  } finally {
    for (const session of sessions) session.ctx.destroy();
  }
}
