import type { DesiredNode, Diagnostic, Move, ObservedNode } from "../model/index.js";
import { addressMatches } from "./targeting.js";

/**
 * Where a `moved` entry puts an address: the entry's own (`instances.web` → `instances.app`) and
 * everything under it (`instances.web[0]`, `loadBalancers.web.listeners[80]`); undefined when no
 * entry moves it. Entries never chain (config refuses that), so one pass is the whole answer.
 */
export function movedAddress(address: string, moves: readonly Move[] | undefined): string | undefined {
  for (const move of moves ?? []) {
    if (addressMatches(move.from, address)) return move.to + address.slice(move.from.length);
  }
  return undefined;
}

/**
 * The live resources as the file now addresses them. A kind's claim already moved what its tags
 * record (so it reads a moved resource's details at its new address); this moves the rest (nodes
 * whose address derives from another's, a listener moved on its own). What a resource recorded it
 * depends on keeps the old names: the plan sees that record differ from the file, and writes it again.
 */
export function relocate(observed: ObservedNode[], moves: readonly Move[] | undefined): ObservedNode[] {
  if (!moves?.length) return observed;
  return observed.map((node) => {
    const to = node.address !== undefined ? movedAddress(node.address, moves) : undefined;
    return to === undefined ? node : { ...node, address: to, movedFrom: node.movedFrom ?? node.address };
  });
}

function at(move: Move, severity: Diagnostic["severity"], message: string, hint?: string): Diagnostic {
  return {
    severity,
    ...(move.location ? { location: move.location } : {}),
    path: `moved`,
    message,
    ...(hint ? { hint } : {}),
  };
}

/**
 * What only the live account can tell about the file's `moved` entries: one whose target also
 * exists live is an error (two resources would answer to one address); one whose source and
 * target exist nowhere, in the file or the account, is stale (a warning: it may be removed).
 */
export function checkMovesLive(
  moves: readonly Move[] | undefined,
  nodes: DesiredNode[],
  observed: ObservedNode[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const move of moves ?? []) {
    const moved = observed.filter((o) => o.movedFrom !== undefined && addressMatches(move.from, o.movedFrom));
    const already = observed.filter(
      (o) => o.movedFrom === undefined && o.address !== undefined && addressMatches(move.to, o.address),
    );
    const clash = moved.find((m) => already.some((a) => a.address === m.address && a.type === m.type));
    if (clash) {
      const other = already.find((a) => a.address === clash.address);
      out.push(
        at(
          move,
          "error",
          `cannot move ${move.from} to ${move.to}: ${clash.address} already exists in the account (${other?.id ?? ""}), beside ${clash.id}`,
          `remove this entry, or delete one of the two resources first`,
        ),
      );
      continue;
    }
    const inFile = nodes.some(
      (n) => addressMatches(move.to, n.address) || addressMatches(move.from, n.address),
    );
    if (moved.length === 0 && already.length === 0 && !inFile) {
      out.push(
        at(
          move,
          "warning",
          `moved entry ${move.from} → ${move.to} names nothing in the file or the account`,
          "remove it: every resource it moved has moved",
        ),
      );
    }
  }
  return out;
}
