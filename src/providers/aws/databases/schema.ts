import type { Value } from "../../../model/index.js";

/** RDS identifiers: a letter first, letters, digits and single hyphens, no trailing hyphen. */
const IDENTIFIER = "^[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$";

export const databaseSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["identifier", "engine", "class"],
  properties: {
    identifier: {
      type: "string",
      maxLength: 63,
      pattern: IDENTIFIER,
      description: "an RDS identifier: a letter, then letters, digits and single hyphens",
    },
    engine: {
      type: "string",
      pattern: "^[A-Za-z][A-Za-z0-9-]*$",
      description: "an RDS engine name like postgres or mysql",
    },
    engineVersion: {
      type: "string",
      pattern: "^[0-9]+(\\.[0-9A-Za-z_-]+)*$",
      description: "an engine version like 16 or 16.3",
    },
    class: {
      type: "string",
      pattern: "^db\\.[a-z0-9-]+\\.[a-z0-9]+$",
      description: "an instance class like db.t3.micro",
    },
    allocatedStorageGb: { type: "integer", minimum: 5, maximum: 65536 },
    securityGroups: {
      type: "array",
      items: {
        type: "string",
        pattern: "^(securityGroups\\.[A-Za-z0-9_-]+|sg-[0-9a-f]+)$",
        description: "a reference like securityGroups.db or an sg-… id",
      },
    },
    subnetGroup: { type: "string", minLength: 1, maxLength: 255 },
    multiAz: { type: "boolean" },
    publiclyAccessible: { type: "boolean" },
    backupRetentionDays: { type: "integer", minimum: 0, maximum: 35 },
    deletionProtection: { type: "boolean" },
    /** false: changes RDS can defer wait for the maintenance window (shown as deferred in the plan). */
    applyImmediately: { type: "boolean" },
    masterUsername: {
      type: "string",
      pattern: "^[A-Za-z][A-Za-z0-9_]{0,62}$",
      description: "a user name: a letter, then letters, digits and _",
    },
    masterPassword: {
      type: "object",
      additionalProperties: false,
      required: ["fromEnv"],
      properties: {
        fromEnv: {
          type: "string",
          pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
          description: "an environment variable name",
        },
      },
    },
    restoreFrom: {
      type: "object",
      additionalProperties: false,
      required: ["snapshotOf"],
      properties: {
        snapshotOf: {
          type: "string",
          pattern: `^(databases\\.[A-Za-z0-9_-]+|${IDENTIFIER.slice(1, -1)})$`,
          description: "the identifier of the source database, or a reference like databases.dev",
        },
      },
    },
    protect: { type: "boolean" },
    tags: { type: "object", additionalProperties: { type: "string" } },
  },
};
