import { Protect, Tags, Type, identity, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";
import { securityGroupList } from "../common/schema.js";

/** A Redis replication group (cluster mode disabled): one primary, `replicas` read replicas. */
export const TYPE = "caches";

export const DEFAULT_PORT = 6379;

export const CacheSchema = Type.Object(
  {
    // ElastiCache lowercases ids: 1–40 characters, a letter first, single hyphens, no trailing hyphen.
    id: Type.String({
      pattern: "^[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,39}$",
      description:
        "a replication group id like chatmrpt-redis: a letter, then letters, digits and single hyphens",
      ...identity,
      ...replaces,
    }),
    engine: Type.Optional(Type.Enum(["redis", "valkey"], { default: "redis", ...replaces })),
    engineVersion: Type.Optional(
      Type.String({ pattern: "^[0-9]+(\\.[0-9x]+)*$", description: "an engine version like 7.1" }),
    ),
    nodeType: Type.String({
      pattern: "^cache\\.[a-z0-9-]+\\.[a-z0-9]+$",
      description: "a node type like cache.t3.micro",
    }),
    /** Read replicas beside the primary: the group has replicas + 1 nodes. */
    replicas: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, default: 0 })),
    port: Type.Optional(Type.Integer({ minimum: 1024, maximum: 65535, default: DEFAULT_PORT, ...replaces })),
    parameterGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    // Without one, ElastiCache places the group in the VPC's `default` subnet group.
    subnetGroup: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, default: "default", ...identity, ...replaces }),
    ),
    securityGroups: Type.Optional(securityGroupList("a reference like securityGroups.cache or an sg-… id")),
    atRestEncryption: Type.Optional(Type.Boolean({ default: false, ...replaces })),
    // In place it needs ElastiCache's two-step migration mode: parity makes a new group instead.
    transitEncryption: Type.Optional(Type.Boolean({ default: false, ...replaces })),
    snapshotRetentionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 35, default: 0 })),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

export type CacheSpec = Static<typeof CacheSchema>;

export const cacheSpec = specReader(CacheSchema);
