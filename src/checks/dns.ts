import { Resolver } from "node:dns/promises";
import { expand, unresolved, untilAborted, within } from "./attempt.js";
import { MAX_CNAME_HOPS, address, hostName, isAddress, trail, txtText } from "./dnsNames.js";
import { judgeInZone } from "./dnsZone.js";
import type { Attempt, CheckDeps, DnsCheckSpec } from "./types.js";

/** Answers that mean "nothing of that type here", not "the resolver failed". */
const NO_RECORD = new Set(["ENODATA", "ENOTFOUND"]);

type Ask = <T>(query: (resolver: Resolver) => Promise<T>) => Promise<T>;

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown }).code;
  return typeof value === "string" ? value : undefined;
}

/** The query's answer, or [] when the name has no record of that type. */
async function orNone<T>(ask: Ask, query: (resolver: Resolver) => Promise<T[]>): Promise<T[]> {
  try {
    return await ask(query);
  } catch (error) {
    if (NO_RECORD.has(code(error) ?? "")) return [];
    throw error;
  }
}

/** The CNAMEs from `name` on, as far as they go. */
async function cnameChain(ask: Ask, name: string): Promise<string[]> {
  const chain: string[] = [];
  let current = name;
  while (chain.length < MAX_CNAME_HOPS) {
    const [next] = await orNone(ask, (r) => r.resolveCname(current));
    if (!next) break;
    current = hostName(next);
    chain.push(current);
  }
  return chain;
}

function addresses(ask: Ask, type: string, name: string): Promise<string[]> {
  return orNone(ask, (r) => (type === "AAAA" ? r.resolve6(name) : r.resolve4(name)));
}

/** What the resolver says about `name`, and whether it meets `expect`. */
async function lookUp(
  ask: Ask,
  name: string,
  type: string,
  expect: string,
): Promise<{ ok: boolean; saw: string }> {
  const chain = await cnameChain(ask, name);
  if (type === "CNAME") {
    return { ok: chain.includes(hostName(expect)), saw: trail(name, chain, type, []) };
  }
  if (type === "TXT") {
    const texts = (await orNone(ask, (r) => r.resolveTxt(name))).map((chunks) => chunks.join(""));
    return {
      ok: texts.includes(txtText(expect)),
      saw: trail(
        name,
        chain,
        type,
        texts.map((t) => JSON.stringify(t)),
      ),
    };
  }
  const found = (await addresses(ask, type, name)).map(address);
  const saw = trail(name, chain, type, found);
  if (isAddress(expect)) return { ok: found.includes(address(expect)), saw };
  if (chain.includes(hostName(expect))) return { ok: true, saw };
  const theirs = (await addresses(ask, type, expect)).map(address);
  const ok = theirs.some((a) => found.includes(a));
  return {
    ok,
    saw: ok
      ? saw
      : `${saw}; ${hostName(expect)} → ${theirs.length ? theirs.join(", ") : `no ${type} record`}`,
  };
}

/** One query set through node's resolver (the system's servers, or `deps.dnsServers`). */
function viaResolver(deps: CheckDeps, name: string, type: string, expect: string, timeoutMs: number) {
  return within(deps, timeoutMs, async (signal) => {
    const resolver = new Resolver();
    if (deps.dnsServers) resolver.setServers(deps.dnsServers);
    const ask: Ask = (query) => untilAborted(signal, query(resolver), () => resolver.cancel());
    const who = `resolver ${resolver.getServers().join(", ")}`;
    try {
      const { ok, saw } = await lookUp(ask, hostName(name), type, expect);
      return { ok, detail: ok ? `${who}: ${saw}` : `${who}: ${saw}, expected ${expect}` };
    } catch (error) {
      if (signal.aborted) throw error;
      const why = code(error) ?? (error instanceof Error ? error.message : String(error));
      return { ok: false, detail: `${who}: ${name} ${type} lookup failed (${why})` };
    }
  });
}

/**
 * One try of a dns check. With `deps.zoneRecords` (parity pointed at an emulator) the hosted
 * zone's records answer; otherwise a resolver does, as it would for any user.
 */
export async function attemptDns(spec: DnsCheckSpec, deps: CheckDeps, timeoutMs: number): Promise<Attempt> {
  const name = expand(spec.name, deps);
  const expect = expand(spec.expect, deps);
  const stuck = unresolved(name, expect);
  if (stuck) return stuck;
  const type = spec.type ?? "A";
  const inZone = deps.zoneRecords;
  if (!inZone) return viaResolver(deps, name, type, expect, timeoutMs);
  return within(deps, timeoutMs, async (signal) => {
    const zone = await untilAborted(signal, inZone(name), () => undefined);
    if (!zone) return { ok: false, detail: `no Route53 hosted zone holds ${hostName(name)}` };
    return judgeInZone(zone, name, type, expect);
  });
}
