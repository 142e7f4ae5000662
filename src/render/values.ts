import type { Value } from "../model/index.js";
import { isPlainObject, isSensitive, isUnknown } from "../model/index.js";

export const KNOWN_AFTER_APPLY = "(known after apply)";

/** One value as the plan shows it: secrets masked, unknowns named, lists and maps inline. */
export function formatValue(value: Value | undefined): string {
  if (value === undefined) return "(unset)";
  if (isUnknown(value)) return KNOWN_AFTER_APPLY;
  if (isSensitive(value)) {
    if (value.from !== undefined) return `(sensitive, from $${value.from})`;
    return value.changed ? "(sensitive, changed)" : "(sensitive, unchanged)";
  }
  if (value === null) return "null";
  if (typeof value === "string") return /^[\w./:*@+=,-]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${k} = ${formatValue(v)}`);
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  return String(value);
}

/** Flattens nested maps into dotted paths for multi-line create/delete listings. */
export function flatten(value: Value, prefix = ""): [string, Value][] {
  if (isPlainObject(value) && !isUnknown(value) && !isSensitive(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}
