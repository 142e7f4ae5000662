import type { EnvironmentInfo } from "../../../engine/types.js";
import { ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/**
 * Whether the tags the tagging API listed for a resource may stand in for its service's own: they
 * say it is ours, at an address the file declares, and neither the file nor they protect it. Then
 * the resource is kept, and the plan only converges it: a tag the index has not caught up with yet
 * shows as a change one plan late, never as a deletion. Every other resource (an adoption
 * candidate, another environment's, one the file dropped or protects) is read from its service,
 * whose tags decide what the plan may delete or must refuse.
 */
export function listedTagsSuffice(
  listed: TagMap | undefined,
  env: EnvironmentInfo,
  declared: ReadonlySet<string>,
  protectedInFile: ReadonlySet<string>,
): listed is TagMap {
  if (listed === undefined) return false;
  const owner = ownershipOf(listed, env);
  return (
    owner.status === "ours" &&
    !owner.protect &&
    declared.has(owner.address) &&
    !protectedInFile.has(owner.address)
  );
}
