import { expand, unresolved, within } from "./attempt.js";
import { cookieJar } from "./cookies.js";
import type { CookieJar } from "./cookies.js";
import type { Attempt, CheckDeps, HttpCheckSpec } from "./types.js";

/** Longest body excerpt quoted in a failure. */
const EXCERPT = 80;

type Answer = { status: number; headers: Headers; body: string };

function excerpt(text: string, length = EXCERPT): string {
  return JSON.stringify(text.length > length ? `${text.slice(0, length)}…` : text);
}

function statusMatches(expected: number | undefined, status: number): boolean {
  return expected === undefined ? status >= 200 && status < 300 : status === expected;
}

/** What is wrong with one answer, or undefined when it is what the check expects. */
function problemWith(spec: HttpCheckSpec, answer: Answer): string | undefined {
  if (!statusMatches(spec.expectStatus, answer.status)) {
    return `expected status ${spec.expectStatus ?? "2xx"}, got ${answer.status}`;
  }
  if (spec.expectBodyContains !== undefined && !answer.body.includes(spec.expectBodyContains)) {
    return `body does not contain ${JSON.stringify(spec.expectBodyContains)} (got ${excerpt(answer.body)})`;
  }
  for (const [name, wanted] of Object.entries(spec.expectHeader ?? {})) {
    const value = answer.headers.get(name);
    if (value === null) return `no ${name.toLowerCase()} header`;
    if (!value.includes(wanted)) {
      return `header ${name.toLowerCase()} is ${excerpt(value)}, expected it to contain ${JSON.stringify(wanted)}`;
    }
  }
  return undefined;
}

/** The value `expectSame` compares across the sequence: a header's, or the body. */
function sameValue(spec: HttpCheckSpec, answer: Answer): string | null {
  const same = spec.expectSame;
  if (!same) return null;
  return "header" in same ? answer.headers.get(same.header) : answer.body;
}

/** The file's headers, with the jar's cookies after any Cookie header the file sets itself. */
function withCookies(headers: Record<string, string>, jar: CookieJar): Record<string, string> {
  const fromJar = jar.header();
  if (!fromJar) return headers;
  const own = Object.keys(headers).find((k) => k.toLowerCase() === "cookie");
  if (!own) return { ...headers, cookie: fromJar };
  return { ...headers, [own]: `${headers[own]}; ${fromJar}` };
}

/** What the sequence's values say about stickiness; undefined when they all agree. */
function differing(spec: HttpCheckSpec, values: (string | null)[], jar: CookieJar): string | undefined {
  const same = spec.expectSame;
  if (!same || values.every((v) => v === values[0])) return undefined;
  const what = "header" in same ? same.header.toLowerCase() : "the body";
  const seen = values.map((v) => (v === null ? "(none)" : excerpt(v, 40))).join(", ");
  const cookies = jar.names();
  const session = cookies.length
    ? `sharing cookies ${cookies.join(", ")}`
    : "and no answer set a cookie to keep the session";
  return `${what} differed across ${values.length} requests ${session}: ${seen}`;
}

function agreed(spec: HttpCheckSpec, answers: Answer[], values: (string | null)[], took: number): string {
  const status = answers[answers.length - 1]?.status ?? 0;
  if (answers.length === 1) return `${status} in ${took} ms`;
  const same = spec.expectSame;
  const what = !same
    ? ""
    : "header" in same
      ? `, all with ${same.header.toLowerCase()} ${excerpt(values[0] ?? "")}`
      : ", all with the same body";
  return `${answers.length} requests, each ${status}${what}, in ${took} ms`;
}

/**
 * One try: `repeat` requests in sequence (default 1; 2 with `expectSame`), the cookies each answer
 * sets sent on the next, every answer held to the expectations. Redirects are followed, unless
 * the check expects a 3xx itself (an http→https redirect check). Without `expectStatus`, any 2xx
 * passes.
 */
export async function attemptHttp(spec: HttpCheckSpec, deps: CheckDeps, timeoutMs: number): Promise<Attempt> {
  const doFetch = deps.fetch ?? fetch;
  const url = expand(spec.url, deps);
  const headers = Object.fromEntries(
    Object.entries(spec.headers ?? {}).map(([k, v]) => [k, expand(v, deps)]),
  );
  const body = spec.body === undefined ? undefined : expand(spec.body, deps);
  const stuck = unresolved(url, ...Object.values(headers), ...(body === undefined ? [] : [body]));
  if (stuck) return stuck;
  const expectsRedirect =
    spec.expectStatus !== undefined && spec.expectStatus >= 300 && spec.expectStatus < 400;
  const readBody = spec.expectBodyContains !== undefined || (spec.expectSame && "body" in spec.expectSame);
  const repeat = spec.repeat ?? (spec.expectSame ? 2 : 1);
  const jar = cookieJar();
  const now = deps.wallTime ?? Date.now;
  return within(deps, timeoutMs, async (signal, elapsed) => {
    const answers: Answer[] = [];
    const values: (string | null)[] = [];
    for (let n = 1; n <= repeat; n++) {
      const response = await doFetch(url, {
        method: spec.method ?? "GET",
        headers: withCookies(headers, jar),
        ...(body !== undefined ? { body } : {}),
        redirect: expectsRedirect ? "manual" : "follow",
        signal,
      });
      let text = "";
      if (readBody) text = await response.text();
      else await response.body?.cancel();
      const answer = { status: response.status, headers: response.headers, body: text };
      jar.store(response.headers.getSetCookie(), now());
      const problem = problemWith(spec, answer);
      if (problem)
        return { ok: false, detail: repeat > 1 ? `request ${n} of ${repeat}: ${problem}` : problem };
      answers.push(answer);
      values.push(sameValue(spec, answer));
    }
    const differs = differing(spec, values, jar);
    if (differs) return { ok: false, detail: differs };
    return { ok: true, detail: agreed(spec, answers, values, elapsed()) };
  });
}
