import type { Attrs, Value } from "../../../model/index.js";

/**
 * Typed data on its way to or from attributes and details, which hold plain values only. A kind's
 * typed shapes have optional fields; written out, an absent field is left out (never `undefined`),
 * and read back, anything of the wrong type reads as absent, so no kind casts its own data.
 */
export type Plain = Value | undefined | Plain[] | { [key: string]: Plain };

function plainValue(data: Plain): Value | undefined {
  if (data === undefined || data === null || typeof data !== "object") return data;
  if (Array.isArray(data)) return data.map((item) => plainValue(item) ?? null);
  return plainAttrs(data);
}

/** A typed shape as attributes, in its own key order, with absent fields left out. */
export function plainAttrs(data: { [key: string]: Plain }): Attrs {
  const out: Attrs = {};
  for (const [key, item] of Object.entries(data)) {
    const value = plainValue(item);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * One of an SDK's string enums (its `{ NAME: "value" }` object), checked rather than cast, so a
 * value the SDK does not know is noticed instead of sent.
 */
export function enumMember<T extends string>(values: { [name: string]: T }, value: unknown): T | undefined {
  return Object.values(values).find((v) => v === value);
}
