import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { TagMap } from "./ownership.js";

/** The strings of a list kept in attributes or details (volume ids, snapshot ids, targets). */
export function stringList(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A tag map kept in attributes (desired or observed); values that are not strings are not tags. */
export function tagMap(value: Value | undefined): TagMap {
  if (!isPlainObject(value)) return {};
  const tags: TagMap = {};
  for (const [key, tag] of Object.entries(value)) if (typeof tag === "string") tags[key] = tag;
  return tags;
}
