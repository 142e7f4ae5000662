/**
 * A `fetch` that answers from memory, after a delay measured with `setTimeout`: under
 * `vi.useFakeTimers()` a check's whole run, slow answers and timeouts included, takes no real
 * time and comes out the same on any machine.
 */
export type FakeAnswer = { status: number; body?: string; afterMs?: number };

export type FakeSite = {
  fetch: typeof fetch;
  /** Requests received, in order, as `METHOD path`. */
  requests: string[];
};

/** `answer(n)` gives the n-th answer (from 1) to a path. */
export function fakeSite(answer: (path: string, n: number) => FakeAnswer): FakeSite {
  const requests: string[] = [];
  const counts = new Map<string, number>();
  const siteFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const path = new URL(String(input)).pathname;
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    requests.push(`${init.method ?? "GET"} ${path}`);
    const { status, body = "", afterMs = 0 } = answer(path, n);
    const signal = init.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", abort);
        resolve(new Response(body, { status }));
      }, afterMs);
      function abort() {
        clearTimeout(timer);
        reject(signal?.reason);
      }
      signal?.addEventListener("abort", abort, { once: true });
    });
  };
  return { fetch: siteFetch as typeof fetch, requests };
}
