import type { Value } from "../model/index.js";
import { containsUnknown, unknown } from "../model/index.js";
import type { EnvironmentInfo, Facts, Resolver } from "./types.js";

export const INTERPOLATION = /\$\{([A-Za-z][\w]*)\.([\w-]+)\.([\w]+)\}/g;

/**
 * Resolves references against outputs known so far. At plan time a resource still to be created
 * has only its planned outputs; everything else is Unknown, rendered "(known after apply)".
 */
export function makeResolver(
  outputsByGroup: Map<string, { [key: string]: Value }[]>,
  facts: Facts,
  env: EnvironmentInfo,
): Resolver {
  const output = (address: string, name: string): Value => {
    const first = outputsByGroup.get(address)?.[0];
    const value = first?.[name];
    return value === undefined ? unknown(`${address}.${name}`) : value;
  };
  return {
    group: (address) => outputsByGroup.get(address) ?? [],
    output,
    interpolate(text) {
      let anyUnknown = false;
      const result = text.replace(INTERPOLATION, (_match, kind: string, name: string, attr: string) => {
        const value = output(`${kind}.${name}`, attr);
        if (containsUnknown(value)) anyUnknown = true;
        return typeof value === "string" || typeof value === "number" ? String(value) : "";
      });
      return anyUnknown ? unknown(text) : result;
    },
    facts,
    env,
  };
}

/** Interpolates every string inside a value; used for fields a type passes through as-is. */
export function interpolateDeep(value: Value, resolver: Resolver): Value {
  if (typeof value === "string") return value.includes("${") ? resolver.interpolate(value) : value;
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, resolver));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, resolver)]));
  }
  return value;
}
