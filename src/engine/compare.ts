import type { AttributeChange, Attrs, Value } from "../model/index.js";
import { isPlainObject, isSensitive, isUnknown } from "../model/index.js";

/**
 * The one place that decides whether two attribute values are equal the way AWS treats them:
 * `10` equals `"10"`, an Unknown equals nothing, object key order is irrelevant.
 * Array order matters: types sort what AWS treats as a set before handing values here.
 */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (isSensitive(a) || isSensitive(b)) {
    return isSensitive(a) && isSensitive(b) && !a.changed && !b.changed;
  }
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if ((typeof a === "number" && typeof b === "string") || (typeof a === "string" && typeof b === "number")) {
    return String(a) === String(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return false;
}

export type CompareRules = {
  replaceOn: string[];
  sensitive?: string[];
  deferred?: string[];
  bookkeeping?: string[];
};

function matchesRule(path: string, rules: string[] | undefined): boolean {
  return (rules ?? []).some((rule) => path === rule || path.startsWith(rule + "."));
}

/**
 * Attribute-level differences. Only what the file sets is compared (a key absent from `desired`
 * is AWS's to choose), which is what keeps defaults from showing as perpetual diffs.
 */
export function compareAttributes(
  desired: Attrs,
  observed: Attrs | undefined,
  rules: CompareRules,
  prefix = "",
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [key, want] of Object.entries(desired)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const have = observed?.[key];
    if (matchesRule(path, rules.bookkeeping)) continue;
    if (isPlainObject(want) && !isUnknown(want) && !isSensitive(want) && isPlainObject(have)) {
      changes.push(...compareAttributes(want, have, rules, path));
      continue;
    }
    if (sameValue(want, have)) continue;
    changes.push({
      path,
      before: have,
      after: want,
      forcesReplacement: matchesRule(path, rules.replaceOn),
      sensitive: matchesRule(path, rules.sensitive) || isSensitive(want),
      ...(matchesRule(path, rules.deferred) ? { deferred: true } : {}),
    });
  }
  return changes;
}
