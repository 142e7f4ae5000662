import { hostName } from "./canonical.js";

/** Where an observed distribution tells the plan it was one of several the entry could adopt. */
export const CANDIDATES = "adoptionCandidates";

/** What the file says about one distribution entry that may adopt a live one. */
export type AdoptionWish = { address: string; id?: string; aliases: string[] };
/** A live distribution nobody here owns yet, with the aliases its config lists. */
export type AdoptionCandidate = { id: string; aliases: string[] };

export type AdoptionMatch = {
  /** Live id → the address that adopts it. */
  byId: Map<string, string>;
  /** Address → every live id it could adopt, when there is more than one: the plan refuses to guess. */
  ambiguous: Map<string, string[]>;
};

/**
 * A distribution has no name: a person knows it by its id or by the names it serves. An entry
 * with `id:` adopts exactly that one; otherwise a live distribution whose aliases include one of
 * the entry's is the one the file describes (CloudFront refuses an alias on two distributions).
 */
export function matchDistributions(wishes: AdoptionWish[], candidates: AdoptionCandidate[]): AdoptionMatch {
  const byId = new Map<string, string>();
  const ambiguous = new Map<string, string[]>();
  for (const wish of wishes) {
    const wanted = new Set(wish.aliases.map(hostName));
    const found = candidates.filter((c) =>
      wish.id !== undefined ? c.id === wish.id : c.aliases.some((a) => wanted.has(hostName(a))),
    );
    const free = found.filter((c) => !byId.has(c.id));
    if (free.length > 1) ambiguous.set(wish.address, free.map((c) => c.id).sort());
    const first = free[0];
    if (first) byId.set(first.id, wish.address);
  }
  return { byId, ambiguous };
}
