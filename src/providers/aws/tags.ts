import type { EnvironmentInfo } from "../../engine/types.js";

export const TAG_ENVIRONMENT = "parity:environment";
export const TAG_ADDRESS = "parity:address";
export const TAG_PROTECT = "parity:protect";

export type AwsTag = { Key?: string | undefined; Value?: string | undefined };

/** The tags every resource parity creates carries from its very first API call. */
export function ownershipTags(
  env: EnvironmentInfo,
  address: string,
  protect = false,
): Record<string, string> {
  return {
    ...env.tags,
    [TAG_ENVIRONMENT]: env.environment,
    [TAG_ADDRESS]: address,
    ...(protect ? { [TAG_PROTECT]: "true" } : {}),
  };
}

export function toAwsTags(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromAwsTags(tags: AwsTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
  return out;
}

export type Ownership = { managed: boolean; address?: string; protect: boolean };

/** Whether a resource belongs to this environment, and under which address. */
export function ownership(tags: Record<string, string>, env: EnvironmentInfo): Ownership {
  const managed = tags[TAG_ENVIRONMENT] === env.environment && TAG_ADDRESS in tags;
  return {
    managed,
    ...(managed ? { address: tags[TAG_ADDRESS] } : {}),
    protect: managed && tags[TAG_PROTECT] === "true",
  };
}

/** Owned by another parity environment: never adopt it, never touch it. */
export function ownedElsewhere(tags: Record<string, string>, env: EnvironmentInfo): boolean {
  return TAG_ENVIRONMENT in tags && tags[TAG_ENVIRONMENT] !== env.environment;
}

/** The user's tags as desired attributes: only the keys the file sets are compared. */
export function userTags(env: EnvironmentInfo, extra?: Record<string, string>): Record<string, string> {
  return { ...env.tags, ...(extra ?? {}) };
}

/** The ownership tags an adopt writes onto an existing resource, in the SDK's shape. */
export function adoptionTags(op: { env: EnvironmentInfo; node?: { address: string; protect: boolean } }): {
  Key: string;
  Value: string;
}[] {
  if (!op.node) throw new Error("adopt needs the resource's entry in the file");
  return toAwsTags(ownershipTags(op.env, op.node.address, op.node.protect));
}
