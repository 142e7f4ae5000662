/** A plain JSON value. Everything in a plan is made of these, so a plan can be saved and diffed. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** A value that will only exist after apply, e.g. the ARN of a load balancer not yet created. */
export type Unknown = { $unknown: string };

/**
 * A value that must never be shown; `changed` says whether it differs from the live one. `from`
 * names the environment variable apply will read it from, when that was not set while planning
 * (so nobody could tell whether it differs, and apply refuses until it is set).
 */
export type Sensitive = { $sensitive: true; changed?: boolean; from?: string };

export type Attrs = { [key: string]: Value };

export function unknown(of: string): Unknown {
  return { $unknown: of };
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === "object" && value !== null && "$unknown" in value;
}

export function isSensitive(value: unknown): value is Sensitive {
  return typeof value === "object" && value !== null && "$sensitive" in value;
}

/** True when the value, or anything inside it, is not known until apply. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

export function isPlainObject(value: unknown): value is { [key: string]: Value } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The variables a plan's secrets are still to be read from (`Sensitive.from`), sorted. */
export function secretSources(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (isSensitive(v)) {
      if (typeof v.from === "string") found.add(v.from);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found].sort();
}
