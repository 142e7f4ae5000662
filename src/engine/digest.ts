import { createHash } from "node:crypto";
import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";

/** JSON with object keys sorted, so equal values always give the same text and the same digest. */
export function canonicalJson(value: Value | undefined): string {
  if (value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The configuration a plan was made from: the merged document (secrets appear in it only as
 * `fromEnv` names) and the region it was planned for.
 */
export function configDigest(document: { [key: string]: Value }, region: string): string {
  return sha256(canonicalJson({ document, region }));
}
