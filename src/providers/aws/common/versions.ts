import type { Value } from "../../../model/index.js";

/**
 * The file may pin an engine version only as precisely as it cares (`16` or `16.3`); a live
 * `16.3.2` matches both. Returns the live version when it is within the file's, else the file's.
 * Databases and caches alike.
 */
export function versionAtPrecision(want: string, have: Value | undefined): string {
  if (typeof have === "string" && (have === want || have.startsWith(want + "."))) return have;
  return want;
}
