import type { EnvironmentInfo } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { ownershipOf } from "./ownership.js";
import { environmentResources, resourcesOf } from "./tagged.js";

/**
 * Whether a kind the file does not use must still be listed: only when the tagging API lists a
 * resource of it as this environment's, which the plan would delete. A file without any of the
 * kind then costs none of its calls, however many the account holds.
 *
 * The trade-off: the tagging API answers from an index that can lag its services by a little, so
 * a resource another run made seconds ago may be missing from it, and a plan of a file that
 * dropped the whole kind in that moment does not see it. The next plan does. Nothing is ever
 * deleted on the index's word: when it lists one, the kind's own listing runs, and that reads the
 * tags deciding the deletion from the service.
 */
export async function ownsAny(
  ctx: AwsContext,
  env: EnvironmentInfo,
  service: string,
  pattern: RegExp,
): Promise<boolean> {
  const tagged = resourcesOf(await environmentResources(ctx, env), service, pattern);
  return tagged.some(({ tags }) => ownershipOf(tags, env).status === "ours");
}
