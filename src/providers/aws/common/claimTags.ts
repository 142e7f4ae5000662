import type { EnvironmentInfo } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";
import { environmentResources, resourcesOf } from "./tagged.js";

/** The resources of one type the shared tagging answer lists with this environment's name: ARN → tags. */
export async function taggedOfType(
  ctx: AwsContext,
  env: EnvironmentInfo,
  service: string,
  pattern: RegExp,
): Promise<Map<string, TagMap>> {
  const found = resourcesOf(await environmentResources(ctx, env), service, pattern);
  return new Map(found.map(({ arn, tags }) => [arn, tags]));
}

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

/** A listed resource: its ARN and the name by which the file may adopt it. */
export type Listed = { arn: string; name: string | undefined };

/** What decides where each listed resource's tags come from. */
export type TagSources = {
  /** ARN → tags, as the tagging API lists them with this environment's name. */
  tagged: Map<string, TagMap>;
  /** name → the address that names it in the file. */
  wanted: Map<string, string>;
  /** The names the file protects. */
  protectedNames: Set<string>;
  /** The service's own tags of these ARNs (one absent: it has gone meanwhile). */
  readTags(arns: string[]): Promise<Map<string, TagMap>>;
};

/**
 * Whether a kind the file does not use must still be listed: only when the tagging answer lists a
 * resource of it as this environment's, which the plan would delete. A file without any of the
 * kind then costs none of its calls, however many the account holds.
 *
 * The trade-off: the tagging API answers from an index that can lag its services by a little, so
 * a resource another run made seconds ago may be missing from it, and a plan of a file that
 * dropped the whole kind in that moment does not see it. The next plan does. Nothing is ever
 * deleted on the index's word: when it lists one, the kind's own listing runs, and the tags that
 * decide the deletion are read from the service.
 */
export function anyOurs(tagged: Map<string, TagMap>, env: EnvironmentInfo): boolean {
  return [...tagged.values()].some((tags) => ownershipOf(tags, env).status === "ours");
}

/**
 * The tags that decide the claim of every listed resource that may be the plan's business, for
 * services without a tag-filtered listing. The tagging API's tags of the file's unprotected
 * resources of ours, at the address the file gives them, are enough. The service's own are read
 * for a name the file uses that the index does not list as ours (an adoption, or a refusal naming
 * the owner), for one of ours the file dropped or moved (its deletion is decided on them), and for
 * anything protected. A resource neither named by the file nor listed as ours is left out: none of
 * ours, or one made so recently that the index does not list it yet, which the next plan sees
 * (the trade-off `anyOurs` describes).
 */
export async function tagsForClaims(
  env: EnvironmentInfo,
  listed: Listed[],
  sources: TagSources,
): Promise<Map<string, TagMap>> {
  const out = new Map<string, TagMap>();
  const unread: string[] = [];
  for (const { arn, name } of listed) {
    const indexed = sources.tagged.get(arn);
    const address = name === undefined ? undefined : sources.wanted.get(name);
    // Only at the address the file gives this name: one of ours the file moved is read.
    const here = new Set(address === undefined ? [] : [address]);
    const fileProtects = name !== undefined && sources.protectedNames.has(name) ? here : new Set<string>();
    if (listedTagsSuffice(indexed, env, here, fileProtects)) out.set(arn, indexed);
    else if (address !== undefined || (indexed && ownershipOf(indexed, env).status === "ours"))
      unread.push(arn);
  }
  if (unread.length > 0) for (const [arn, tags] of await sources.readTags(unread)) out.set(arn, tags);
  return out;
}
