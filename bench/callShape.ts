/**
 * The shape of a run's API calls, beyond their count: how many round trips it waits for one
 * after another, and how many of an apply's calls only read.
 */

/** One call as the proxy saw it: `service:action`, and when it was under way (ms, monotonic). */
export type TimedCall = { name: string; startMs: number; endMs?: number };

/** The longest chain of calls each sent only after the one before it was answered. */
export type Sequence = { depth: number; chain: string[] };

/**
 * A call's depth is 1 + the largest depth among the calls answered before it was sent (1 if
 * none was): calls sent together share a depth, so with a fixed latency per call the depth is
 * the number of latencies a run waits for in a row. A call never answered precedes nothing.
 */
export function sequenceOf(calls: readonly TimedCall[]): Sequence {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  const depth: number[] = [];
  const before: (number | undefined)[] = [];
  let deepest: number | undefined;
  sorted.forEach((call, i) => {
    let best: number | undefined;
    for (let j = 0; j < i; j++) {
      const end = sorted[j]?.endMs;
      if (end === undefined || end > call.startMs) continue;
      // Of equally deep calls, the last answered is the one this call most plausibly waited for.
      const [d, b] = [depth[j] ?? 0, best === undefined ? -1 : (depth[best] ?? 0)];
      if (d > b || (d === b && end > (sorted[best ?? 0]?.endMs ?? 0))) best = j;
    }
    depth[i] = best === undefined ? 1 : (depth[best] ?? 0) + 1;
    before[i] = best;
    if (deepest === undefined || (depth[i] ?? 0) > (depth[deepest] ?? 0)) deepest = i;
  });
  const chain: string[] = [];
  for (let at = deepest; at !== undefined; at = before[at]) chain.unshift(sorted[at]?.name ?? "?");
  return { depth: chain.length, chain };
}

/** REST reads sent as POST: Route 53's ListTagsForResources takes its ids in the body. */
const POSTED_READS = new Set([
  "route53:POST /2013-04-01/tags/hostedzone",
  "route53:POST /2013-04-01/tags/healthcheck",
]);

/** A call that changes nothing: the read verbs of the query and JSON APIs, GET and HEAD of REST. */
export function isRead(name: string): boolean {
  const action = name.slice(name.indexOf(":") + 1);
  return /^(Describe|Get|List)[A-Z]/.test(action) || /^(GET|HEAD) /.test(action) || POSTED_READS.has(name);
}

/** An apply's calls split into the reads and the calls that change something. */
export function readsAndChanges(byAction: Record<string, number>): { reads: number; changes: number } {
  let reads = 0;
  let changes = 0;
  for (const [name, n] of Object.entries(byAction)) {
    if (isRead(name)) reads += n;
    else changes += n;
  }
  return { reads, changes };
}
