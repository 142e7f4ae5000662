import type { ExportItem } from "../../../engine/types.js";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import { ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/** A tag a person wrote: parity's ownership records and AWS's own (`aws:`) are never exported. */
function isUserTag(key: string): boolean {
  return !key.startsWith("parity:") && !key.startsWith("aws:");
}

/** The tags an exported entry writes, or nothing when only bookkeeping tags are on the resource. */
export function exportedTags(tags: TagMap): { tags?: { [key: string]: Value } } {
  const kept = Object.entries(tags).filter(([key]) => isUserTag(key));
  return kept.length > 0 ? { tags: Object.fromEntries(kept) } : {};
}

/** This environment's address for a resource, when its ownership tags say it is ours. */
export function exportAddress(tags: TagMap, env: EnvironmentInfo): { address?: string } {
  const owner = ownershipOf(tags, env);
  return owner.status === "ours" || owner.status === "legacy" ? { address: owner.address } : {};
}

/** An export item from a node in the observed shape (what the plan's normaliser produces). */
export function itemOf(
  node: Pick<ObservedNode, "id" | "attributes" | "outputs" | "details">,
  name: string,
  tags: TagMap,
  env: EnvironmentInfo,
  extra: Partial<ExportItem> = {},
): ExportItem {
  return {
    name,
    id: node.id,
    tags,
    outputs: node.outputs,
    attributes: node.attributes,
    ...(node.details ? { details: node.details } : {}),
    ...exportAddress(tags, env),
    ...extra,
  };
}

/** Plain strings out of an attribute list. */
export function strings(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Each id as the reference to the exported resource, or the id itself when that is not exported. */
export function referencesOr(ids: string[], to: (id: string) => string | undefined): string[] {
  return [...new Set(ids.map((id) => to(id) ?? id))];
}
