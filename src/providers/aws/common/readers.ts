import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { TagMap } from "./ownership.js";

// A plan carries attributes and details as plain JSON: these read them back as the typed values an
// AWS call takes, without a cast; a value of another type reads as absent.

export function maybeString(value: Value | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function maybeNumber(value: Value | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}

export function maybeBoolean(value: Value | undefined): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

export function stringList(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function tagMap(value: Value | undefined): TagMap {
  if (!isPlainObject(value)) return {};
  const tags: TagMap = {};
  for (const [key, tag] of Object.entries(value)) if (typeof tag === "string") tags[key] = tag;
  return tags;
}

export function objectOf(value: Value | undefined): { [key: string]: Value } {
  return isPlainObject(value) ? value : {};
}
