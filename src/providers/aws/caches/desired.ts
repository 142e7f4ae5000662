import type { DesiredState, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode } from "../../../model/index.js";
import { sortIds } from "../common/lists.js";
import { userTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { maybeBoolean, maybeNumber, maybeString, stringList, tagMap } from "../common/readers.js";
import { versionAtPrecision } from "../common/versions.js";
import { DEFAULT_PORT, cacheSpec } from "./schema.js";
import type { CacheSpec } from "./schema.js";

/**
 * Settings ElastiCache reports on the group's member clusters, not on the group. Where the
 * members cannot be read (an emulator that lists none) they are not compared, rather than shown
 * as a difference nobody can converge.
 */
export const MEMBER_PATHS = ["engineVersion", "parameterGroup", "subnetGroup", "securityGroups"];

/** Whether discovery could read the member clusters of a live group. */
export function membersRead(observed: ObservedNode | undefined): boolean {
  return observed?.details?.membersRead !== false;
}

/**
 * The group the file asks for. Every managed setting carries its default, so a change made by
 * hand shows as drift; a version matches at the precision the file pins it; security groups are a set.
 */
export function desiredCache(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const s = cacheSpec(node);
  const attributes: Attrs = {
    id: s.id.toLowerCase(),
    engine: s.engine ?? "redis",
    ...(s.engineVersion !== undefined
      ? { engineVersion: versionAtPrecision(s.engineVersion, observed?.attributes.engineVersion) }
      : {}),
    nodeType: s.nodeType.toLowerCase(),
    replicas: s.replicas ?? 0,
    port: s.port ?? DEFAULT_PORT,
    ...(s.parameterGroup !== undefined ? { parameterGroup: s.parameterGroup.toLowerCase() } : {}),
    subnetGroup: (s.subnetGroup ?? "default").toLowerCase(),
    ...(s.securityGroups
      ? {
          securityGroups: sortIds(
            s.securityGroups.map((ref) => (ref.startsWith("sg-") ? ref : resolver.output(ref, "id"))),
          ),
        }
      : {}),
    atRestEncryption: s.atRestEncryption ?? false,
    transitEncryption: s.transitEncryption ?? false,
    snapshotRetentionDays: s.snapshotRetentionDays ?? 0,
    tags: userTags(resolver.env, s.tags),
  };
  if (observed && !membersRead(observed)) for (const path of MEMBER_PATHS) delete attributes[path];
  return { attributes };
}

/** The attributes `desiredCache` produces, as apply reads them back once every reference is known. */
export type CacheAttributes = Required<Pick<CacheSpec, "id" | "nodeType" | "replicas" | "port">> &
  Pick<
    CacheSpec,
    | "engine"
    | "engineVersion"
    | "parameterGroup"
    | "subnetGroup"
    | "securityGroups"
    | "atRestEncryption"
    | "transitEncryption"
    | "snapshotRetentionDays"
  > & { tags: TagMap };

export function cacheAttributes(attrs: Attrs): CacheAttributes {
  const engine = maybeString(attrs.engine);
  return {
    id: String(attrs.id),
    engine: engine === "valkey" ? "valkey" : "redis",
    engineVersion: maybeString(attrs.engineVersion),
    nodeType: String(attrs.nodeType),
    replicas: maybeNumber(attrs.replicas) ?? 0,
    port: maybeNumber(attrs.port) ?? DEFAULT_PORT,
    parameterGroup: maybeString(attrs.parameterGroup),
    subnetGroup: maybeString(attrs.subnetGroup),
    securityGroups: attrs.securityGroups === undefined ? undefined : stringList(attrs.securityGroups),
    atRestEncryption: maybeBoolean(attrs.atRestEncryption),
    transitEncryption: maybeBoolean(attrs.transitEncryption),
    snapshotRetentionDays: maybeNumber(attrs.snapshotRetentionDays),
    tags: tagMap(attrs.tags),
  };
}
