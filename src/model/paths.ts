import type { SourceLocation } from "./diagnostics.js";

/** A path inside a document: keys and list indexes. */
export type Path = (string | number)[];

/** `loadBalancers.web.listeners[0].port`, the form every message uses. */
export function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

export function pathKey(path: Path): string {
  return JSON.stringify(path);
}

/** The closest known location for a path: the value itself, else its nearest ancestor. */
export function locate(
  locations: Map<string, SourceLocation>,
  path: Path,
  preferKey = false,
): SourceLocation | undefined {
  if (preferKey) {
    const key = locations.get("key:" + pathKey(path));
    if (key) return key;
  }
  for (let n = path.length; n >= 0; n--) {
    const found = locations.get(pathKey(path.slice(0, n)));
    if (found) return found;
  }
  return undefined;
}
