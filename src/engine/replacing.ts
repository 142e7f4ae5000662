import { closest } from "fastest-levenshtein";
import type { DesiredNode, Diagnostic } from "../model/index.js";
import { addressMatches } from "./targeting.js";

/**
 * `--replace ADDR` names what the file has (a resource, a member, a nested node): an address that
 * names nothing is an error before anything is read, with the closest one the file has.
 */
export function replaceProblems(addresses: string[], nodes: DesiredNode[]): Diagnostic[] {
  const known = [...new Set(nodes.flatMap((n) => [n.address, n.group]))];
  return addresses
    .filter((a) => !nodes.some((n) => addressMatches(a, n.address)))
    .map((a): Diagnostic => ({
      severity: "error",
      path: "--replace",
      message: `${a} is not in the file`,
      ...(known.length ? { hint: `did you mean ${closest(a, known)}?` } : {}),
    }));
}
