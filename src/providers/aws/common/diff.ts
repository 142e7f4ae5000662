import { compareAttributes } from "../../../engine/compare.js";
import type { Attrs } from "../../../model/index.js";

/** What an update must touch: `changed("healthCheck")` is true when any path under it differs. */
export function changedPaths(desired: Attrs, observed: Attrs): (prefix: string) => boolean {
  const paths = compareAttributes(desired, observed, { replaceOn: [] }).map((a) => a.path);
  return (prefix) => paths.some((p) => p === prefix || p.startsWith(`${prefix}.`));
}
