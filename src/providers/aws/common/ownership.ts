import type { EnvironmentInfo } from "../../../engine/types.js";
import { dependsOnTags } from "./dependencies.js";

export const TAG_ENVIRONMENT = "parity:environment";
export const TAG_ADDRESS = "parity:address";
export const TAG_PROTECT = "parity:protect";

export type AwsTag = { Key?: string | undefined; Value?: string | undefined };
export type TagMap = Record<string, string>;

/**
 * Whose a live resource is, decided from its tags alone, the same way for every kind:
 * - `ours`: this environment's, at `address`;
 * - `foreign`: another parity environment's (`owner` says whose): never adopted, never touched;
 * - `unmanaged`: nobody's; adoptable when the file names it.
 */
export type Ownership =
  | { status: "ours"; address: string; protect: boolean }
  | { status: "foreign"; owner: string }
  | { status: "unmanaged" };

export function ownershipOf(tags: TagMap, env: EnvironmentInfo): Ownership {
  const environment = tags[TAG_ENVIRONMENT];
  if (environment === undefined) return { status: "unmanaged" };
  if (environment !== env.environment) return { status: "foreign", owner: describeOwner(tags) };
  const address = tags[TAG_ADDRESS];
  // Our environment's tag without an address is half-written: treat it like nobody's.
  if (address === undefined) return { status: "unmanaged" };
  return { status: "ours", address, protect: tags[TAG_PROTECT] === "true" };
}

/** How a plan names another owner: `the parity environment "production"`. */
export function describeOwner(tags: TagMap): string {
  return `the parity environment "${tags[TAG_ENVIRONMENT] ?? ""}"`;
}

/** The tags that make a resource this environment's, at an address, written with its first API call. */
export function ownershipTags(env: EnvironmentInfo, address: string, protect = false): TagMap {
  return {
    [TAG_ENVIRONMENT]: env.environment,
    [TAG_ADDRESS]: address,
    ...(protect ? { [TAG_PROTECT]: "true" } : {}),
  };
}

/**
 * Everything a new resource is created with: the file's tags, then ownership (which always wins),
 * and what it depends on, so deleting it later follows the order it was made in.
 */
export function creationTags(
  env: EnvironmentInfo,
  node: { address: string; protect: boolean; dependsOn?: string[] },
  userTags: TagMap = {},
): TagMap {
  return {
    ...env.tags,
    ...userTags,
    ...ownershipTags(env, node.address, node.protect),
    ...dependsOnTags(node.dependsOn),
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
