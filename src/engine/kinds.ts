import type { Value } from "../model/index.js";
import type { Kind, ResourceType } from "./types.js";

/** The usual expansion: one config entry, one node, of the kind's only type. */
export function oneNode<Ctx>(type: string): Kind<Ctx>["expand"] {
  return (address: string, spec: { [key: string]: Value }) => [{ address, type, group: address, spec }];
}

/**
 * The usual kind: a map of named entries (`securityGroups.web`), each one node of its only
 * resource type, whose schema is the entry's.
 */
export function mapKind<Ctx>(
  type: ResourceType<Ctx>,
  rest: Pick<Kind<Ctx>, "outputs"> & Partial<Pick<Kind<Ctx>, "check" | "wiring">>,
): Kind<Ctx> {
  return {
    key: type.type,
    shape: "map",
    schema: type.schema,
    expand: oneNode(type.type),
    types: [type],
    ...rest,
  };
}
