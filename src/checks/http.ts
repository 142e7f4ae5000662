import { systemClock, timeoutSignal } from "./clock.js";
import type { Attempt, CheckDeps, HttpCheckSpec } from "./types.js";

/** Longest body excerpt quoted in a failure. */
const EXCERPT = 80;

function expand(text: string, deps: CheckDeps): string {
  return text.includes("${") && deps.interpolate ? deps.interpolate(text) : text;
}

function statusMatches(expected: number | undefined, status: number): boolean {
  return expected === undefined ? status >= 200 && status < 300 : status === expected;
}

/** Why a fetch failed, in words: the cause's code (ECONNREFUSED, ENOTFOUND…) says more than "fetch failed". */
function failure(error: unknown, timeoutMs: number): Attempt {
  if (error instanceof Error && error.name === "TimeoutError") {
    return { ok: false, detail: `no answer within ${timeoutMs} ms`, timedOut: true };
  }
  if (error instanceof Error && error.name === "AbortError") return { ok: false, detail: "stopped" };
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return { ok: false, detail: `cannot connect (${cause.code})` };
  return { ok: false, detail: error instanceof Error ? error.message : String(error) };
}

/**
 * One HTTP request. Redirects are followed, unless the check expects a 3xx itself (an
 * http→https redirect check). Without `expectStatus`, any 2xx passes.
 */
export async function attemptHttp(spec: HttpCheckSpec, deps: CheckDeps, timeoutMs: number): Promise<Attempt> {
  const doFetch = deps.fetch ?? fetch;
  const url = expand(spec.url, deps);
  if (url.includes("${")) return { ok: false, detail: `cannot resolve ${url}`, final: true };
  const headers = Object.fromEntries(
    Object.entries(spec.headers ?? {}).map(([k, v]) => [k, expand(v, deps)]),
  );
  const expectsRedirect =
    spec.expectStatus !== undefined && spec.expectStatus >= 300 && spec.expectStatus < 400;
  const clock = deps.clock ?? systemClock;
  const timeout = timeoutSignal(clock, timeoutMs);
  const signals = [timeout.signal, ...(deps.signal ? [deps.signal] : [])];
  const started = clock.now();
  let response: Response;
  let body = "";
  try {
    response = await doFetch(url, {
      method: spec.method ?? "GET",
      headers,
      ...(spec.body !== undefined ? { body: expand(spec.body, deps) } : {}),
      redirect: expectsRedirect ? "manual" : "follow",
      signal: AbortSignal.any(signals),
    });
    if (spec.expectBodyContains !== undefined) body = await response.text();
    else await response.body?.cancel();
  } catch (error) {
    return failure(error, timeoutMs);
  } finally {
    timeout.cancel();
  }
  const took = Math.round(clock.now() - started);
  if (!statusMatches(spec.expectStatus, response.status)) {
    return { ok: false, detail: `expected status ${spec.expectStatus ?? "2xx"}, got ${response.status}` };
  }
  if (spec.expectBodyContains !== undefined && !body.includes(spec.expectBodyContains)) {
    const excerpt = body.length > EXCERPT ? `${body.slice(0, EXCERPT)}…` : body;
    return {
      ok: false,
      detail: `body does not contain ${JSON.stringify(spec.expectBodyContains)} (got ${JSON.stringify(excerpt)})`,
    };
  }
  return { ok: true, detail: `${response.status} in ${took} ms` };
}
