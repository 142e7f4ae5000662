/** Sorts ids the way a set compares: known ids in order, values not yet known last. */
export function sortIds<T>(ids: T[]): T[] {
  const known = ids.filter((id): id is T & string => typeof id === "string").sort();
  const rest = ids.filter((id) => typeof id !== "string");
  return [...new Set(known), ...rest];
}
