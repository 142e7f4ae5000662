import type { Value } from "../../../model/index.js";

/** Sorts ids the way a set compares: known ids in order, values not yet known last. */
export function sortIds<T>(ids: T[]): T[] {
  const known = ids.filter((id): id is T & string => typeof id === "string").sort();
  const rest = ids.filter((id) => typeof id !== "string");
  return [...new Set(known), ...rest];
}

/** The strings of a list attribute (ids, ARNs) as an SDK call takes them; anything else is none. */
export function stringList(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
