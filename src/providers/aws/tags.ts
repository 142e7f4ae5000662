// Kept while kinds move to common/ownership.ts and common/adoption.ts; removed once none imports it.
import type { EnvironmentInfo } from "../../engine/types.js";
import { ownershipOf, ownershipTags as ownTags, toAwsTags } from "./common/ownership.js";
import type { TagMap } from "./common/ownership.js";

export {
  TAG_ADDRESS,
  TAG_ENVIRONMENT,
  TAG_PROTECT,
  changedTags,
  fromAwsTags,
  toAwsTags,
  userTags,
} from "./common/ownership.js";
export type { AwsTag } from "./common/ownership.js";

export type Ownership = { managed: boolean; address?: string; protect: boolean };

/** The old shape: the environment's tags plus ownership. */
export function ownershipTags(env: EnvironmentInfo, address: string, protect = false): TagMap {
  return { ...env.tags, ...ownTags(env, address, protect) };
}

export function ownership(tags: TagMap, env: EnvironmentInfo): Ownership {
  const owner = ownershipOf(tags, env);
  return owner.status === "ours"
    ? { managed: true, address: owner.address, protect: owner.protect }
    : { managed: false, protect: false };
}

export function ownedElsewhere(tags: TagMap, env: EnvironmentInfo): boolean {
  return ownershipOf(tags, env).status === "foreign";
}

export function adoptionTags(op: { env: EnvironmentInfo; node?: { address: string; protect: boolean } }) {
  if (!op.node) throw new Error("adopt needs the resource's entry in the file");
  return toAwsTags(ownershipTags(op.env, op.node.address, op.node.protect));
}
