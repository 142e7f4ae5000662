import type { EnvironmentInfo } from "../../../engine/types.js";
import { dependsOnTags } from "./dependencies.js";

export const TAG_ENVIRONMENT = "parity:environment";
export const TAG_PROJECT = "parity:project";
export const TAG_REGION = "parity:region";
export const TAG_ADDRESS = "parity:address";
export const TAG_PROTECT = "parity:protect";

export type AwsTag = { Key?: string | undefined; Value?: string | undefined };
export type TagMap = Record<string, string>;

/**
 * Whose a live resource is, decided from its tags alone, the same way for every kind. An
 * environment is its name, its project (absent is a value: absent only matches absent) and its
 * region, recorded on every resource, global ones included:
 * - `ours`: all three match: this environment's, at `address`;
 * - `legacy`: tagged by a parity that recorded only the environment's name (no project, no
 *   region): it may be ours or a sibling file's of the same name, so `claim` takes it only when the
 *   file names it at that very address, and never deletes it;
 * - `foreign`: another parity environment's (`owner` says whose): never adopted, never touched;
 * - `unmanaged`: nobody's; adoptable when the file names it.
 */
export type Ownership =
  | { status: "ours"; address: string; protect: boolean }
  | { status: "legacy"; address: string; protect: boolean }
  | { status: "foreign"; owner: string }
  | { status: "unmanaged" };

export function ownershipOf(tags: TagMap, env: EnvironmentInfo): Ownership {
  const environment = tags[TAG_ENVIRONMENT];
  if (environment === undefined) return { status: "unmanaged" };
  const project = tags[TAG_PROJECT];
  const region = tags[TAG_REGION];
  const address = tags[TAG_ADDRESS];
  const protect = tags[TAG_PROTECT] === "true";
  // The presence of a region tells the two generations apart: every resource tagged since
  // projects exist carries one, so an environment without a project is still told from a legacy one.
  const legacy = project === undefined && region === undefined;
  if (environment !== env.environment || (!legacy && (project !== env.project || region !== env.region)))
    return { status: "foreign", owner: describeOwner(tags) };
  // Our environment's tag without an address is half-written: treat it like nobody's.
  if (address === undefined) return { status: "unmanaged" };
  return { status: legacy ? "legacy" : "ours", address, protect };
}

/**
 * How a plan names another owner, as precisely as its tags allow:
 * `the parity environment "staging" of project "khorium" in us-west-1`.
 */
export function describeOwner(tags: TagMap): string {
  const project = tags[TAG_PROJECT];
  const region = tags[TAG_REGION];
  return [
    `the parity environment "${tags[TAG_ENVIRONMENT] ?? ""}"`,
    ...(project !== undefined ? [`of project "${project}"`] : []),
    ...(region !== undefined ? [`in ${region}`] : []),
  ].join(" ");
}

/** The environment's identity as the plan shows it on a re-tag: `project "khorium", region "us-west-1"`. */
export function describeIdentity(env: Pick<EnvironmentInfo, "project" | "region">): string {
  return [...(env.project !== undefined ? [`project "${env.project}"`] : []), `region "${env.region}"`].join(
    ", ",
  );
}

/** The tags that make a resource this environment's: its identity, without an address. */
export function identityTags(env: EnvironmentInfo): TagMap {
  return {
    [TAG_ENVIRONMENT]: env.environment,
    ...(env.project !== undefined ? { [TAG_PROJECT]: env.project } : {}),
    [TAG_REGION]: env.region,
  };
}

/**
 * The tags that make a resource this environment's, at an address, written with its first API call.
 * `protect` false writes `parity:protect=false` only when asked to (`clearProtect`): a tag set is
 * only ever added to, so unprotecting means overwriting the recorded `true`.
 */
export function ownershipTags(
  env: EnvironmentInfo,
  address: string,
  protect = false,
  clearProtect = false,
): TagMap {
  return {
    ...identityTags(env),
    [TAG_ADDRESS]: address,
    ...(protect ? { [TAG_PROTECT]: "true" } : clearProtect ? { [TAG_PROTECT]: "false" } : {}),
  };
}

/**
 * Everything a new resource is created with: the file's tags, then ownership (which always wins),
 * and what it depends on, so deleting it later follows the order it was made in.
 */
export function creationTags(
  env: EnvironmentInfo,
  node: { address: string; group?: string; protect: boolean; dependsOn?: string[]; refersTo?: string[] },
  userTags: TagMap = {},
): TagMap {
  return {
    ...env.tags,
    ...userTags,
    ...ownershipTags(env, node.address, node.protect),
    ...dependsOnTags(node),
  };
}

/** The user's tags as desired attributes: the environment's, then the resource's own. */
export function userTags(env: EnvironmentInfo, extra?: TagMap): TagMap {
  return { ...env.tags, ...(extra ?? {}) };
}

export function toAwsTags(tags: TagMap): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromAwsTags(tags: AwsTag[] | undefined): TagMap {
  const out: TagMap = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
  return out;
}

/** The tags of `want` whose value differs from `have` (the file only ever adds or changes tags). */
export function changedTags(want: TagMap, have: TagMap): TagMap {
  return Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
}
