import type { Value } from "../model/index.js";
import type { Kind } from "./types.js";

/** The usual expansion: one config entry, one node, of the kind's only type. */
export function oneNode<Ctx>(type: string): Kind<Ctx>["expand"] {
  return (address: string, spec: { [key: string]: Value }) => [{ address, type, group: address, spec }];
}
