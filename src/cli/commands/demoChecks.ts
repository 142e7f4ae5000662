import { interpolatorFrom } from "../../checks/index.js";
import type { Check } from "../../checks/index.js";
import type { CommandContext } from "../context.js";
import { loadAndPlan } from "./plan.js";
import { runAndReportChecks } from "./check.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** The host a probe of the site connects to, once the file's references are filled in. */
function probedHost(check: Check, interpolate: (text: string) => string): string | undefined {
  const http = check.spec.http as { url?: string } | undefined;
  if (typeof http?.url === "string") {
    const url = interpolate(http.url);
    return URL.canParse(url) ? new URL(url).hostname : url;
  }
  for (const key of ["tls", "tcp"]) {
    const probe = check.spec[key] as { host?: string } | undefined;
    if (typeof probe?.host === "string") return interpolate(probe.host);
  }
  return undefined;
}

/**
 * Why a check cannot pass against the emulator, or undefined when it can: dns reads the zone's
 * records and targetHealth asks ELBv2, both of which moto answers; http, tls and tcp need a
 * host that serves traffic, which moto's load balancers and distributions never do.
 */
export function cannotRunOnEmulator(check: Check, interpolate: (text: string) => string): string | undefined {
  const host = probedHost(check, interpolate);
  if (host === undefined || LOOPBACK.has(host)) return undefined;
  return `needs ${host} to answer, and the emulator serves no traffic`;
}

/** `parity check` as the demo runs it: every check the emulator can answer, and why it skips the others. */
export async function demoChecks(shown: string, file: string, context: CommandContext): Promise<boolean> {
  const { output } = context;
  const p = output.palette;
  output.out(p.bold(`\n$ parity check ${shown}`));
  const session = await loadAndPlan(file, context);
  if (!session) return false;
  try {
    const interpolate = interpolatorFrom(session.observed, session.info);
    const checks = session.environment.checks;
    const skipped = checks.flatMap((c) => {
      const why = cannotRunOnEmulator(c, interpolate);
      return why ? [{ name: c.name, why }] : [];
    });
    for (const s of skipped) output.out(p.dim(`  skipped ${s.name}: ${s.why}`));
    const runnable = checks.filter((c) => !skipped.some((s) => s.name === c.name));
    const environment = { ...session.environment, checks: runnable };
    return await runAndReportChecks({ ...session, environment }, shown, output, context.interruption.abort);
  } finally {
    session.ctx.destroy();
  }
}
