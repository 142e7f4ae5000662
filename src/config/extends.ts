import { dirname, resolve } from "node:path";
import type { Diagnostic, SourceLocation, Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { locate, parseLocated, pathKey } from "./yaml.js";
import type { Located, Path } from "./yaml.js";

export type ReadFile = (path: string) => string;

/**
 * Loads a file and everything it `extends`: maps deep-merge, lists are replaced, this file wins.
 * Positions follow the values, so an error in an inherited value points into the base file.
 */
export function loadWithExtends(file: string, read: ReadFile, chain: string[] = []): Located {
  const absolute = resolve(file);
  if (chain.includes(absolute)) {
    return {
      value: {},
      locations: new Map(),
      diagnostics: [
        {
          severity: "error",
          message: `extends cycle: ${[...chain, absolute].join(" → ")}`,
          hint: "remove one of the extends",
        },
      ],
    };
  }
  let text: string;
  try {
    text = read(absolute);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "file not found"
        : String((error as Error).message);
    return {
      value: {},
      locations: new Map(),
      diagnostics: [{ severity: "error", message: `${file}: ${reason}` }],
    };
  }
  const own = parseLocated(text, file);
  if (own.diagnostics.length > 0) return own;
  const parents = own.value.extends;
  if (parents === undefined) return own;
  const list = Array.isArray(parents) ? parents : [parents];
  let merged: Located = { value: {}, locations: new Map(), diagnostics: [] };
  for (const [i, parent] of list.entries()) {
    const where: Path = Array.isArray(parents) ? ["extends", i] : ["extends"];
    if (typeof parent !== "string") {
      merged.diagnostics.push(diag(own.locations, where, "extends must be a relative path to a YAML file"));
      continue;
    }
    const parentFile = resolve(dirname(absolute), parent);
    const base = loadWithExtends(parentFile, read, [...chain, absolute]);
    if (base.diagnostics.some((d) => d.message.startsWith(`${parentFile}: file not found`))) {
      merged.diagnostics.push(
        diag(own.locations, where, `${parent} not found`, `path is relative to ${file}`),
      );
      continue;
    }
    merged = mergeLocated(merged, base);
  }
  const { extends: _ignored, ...rest } = own.value;
  return mergeLocated(merged, { ...own, value: rest });
}

function diag(
  locations: Map<string, SourceLocation>,
  path: Path,
  message: string,
  hint?: string,
): Diagnostic {
  const location = locate(locations, path);
  return {
    severity: "error",
    ...(location ? { location } : {}),
    path: "extends",
    message,
    ...(hint ? { hint } : {}),
  };
}

function mergeLocated(base: Located, top: Located): Located {
  const locations = new Map(base.locations);
  // Drop the base's positions under any path the top file replaces wholesale (a list, a scalar).
  const replaced = replacedPaths(base.value, top.value, []);
  for (const key of [...locations.keys()]) {
    const bare = key.startsWith("key:") ? key.slice(4) : key;
    if (replaced.some((prefix) => isUnder(bare, prefix))) locations.delete(key);
  }
  for (const [key, value] of top.locations) locations.set(key, value);
  return {
    value: deepMerge(base.value, top.value) as { [key: string]: Value },
    locations,
    diagnostics: [...base.diagnostics, ...top.diagnostics],
  };
}

/** Whether one pathKey lies at or below another (both are JSON arrays). */
function isUnder(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(prefix.slice(0, -1) + ",");
}

function replacedPaths(base: Value, top: Value, path: Path): string[] {
  if (isPlainObject(base) && isPlainObject(top)) {
    return Object.keys(top).flatMap((k) =>
      k in base ? replacedPaths(base[k] as Value, top[k] as Value, [...path, k]) : [],
    );
  }
  return [pathKey(path)];
}

export function deepMerge(base: Value, top: Value): Value {
  if (isPlainObject(base) && isPlainObject(top)) {
    const out: { [key: string]: Value } = { ...base };
    for (const [key, value] of Object.entries(top))
      out[key] = key in base ? deepMerge(base[key] as Value, value) : value;
    return out;
  }
  return top;
}
