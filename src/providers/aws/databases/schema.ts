import { Protect, Tags, Type, directive, identity, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";
import { securityGroupList } from "../common/schema.js";

export const TYPE = "databases";

/** What RDS (or parity, for public access) gives an instance when the file leaves a setting out; always compared. */
export const DATABASE_DEFAULTS = {
  multiAz: false,
  publiclyAccessible: false,
  backupRetentionDays: 1,
  deletionProtection: false,
} as const;

/** RDS identifiers: a letter first, letters, digits and single hyphens, no trailing hyphen. */
const IDENTIFIER = "[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*";
const DATABASE_REFERENCE = "databases\\.[A-Za-z0-9_-]+";

/** `restoreFrom.snapshotOf` names another entry of the file rather than a live identifier. */
export const REFERENCE = new RegExp(`^${DATABASE_REFERENCE}$`);

/** RDS's engine names (CreateDBInstance's `Engine`), from the RDS API reference. */
export const ENGINES = [
  "aurora-mysql",
  "aurora-postgresql",
  "custom-oracle-ee",
  "custom-oracle-ee-cdb",
  "custom-oracle-se2",
  "custom-oracle-se2-cdb",
  "custom-sqlserver-dev",
  "custom-sqlserver-ee",
  "custom-sqlserver-se",
  "custom-sqlserver-web",
  "db2-ae",
  "db2-se",
  "mariadb",
  "mysql",
  "oracle-ee",
  "oracle-ee-cdb",
  "oracle-se2",
  "oracle-se2-cdb",
  "postgres",
  "sqlserver-ee",
  "sqlserver-ex",
  "sqlserver-se",
  "sqlserver-web",
] as const;

export const DatabaseSchema = Type.Object(
  {
    identifier: Type.String({
      maxLength: 63,
      pattern: `^${IDENTIFIER}$`,
      description: "an RDS identifier: a letter, then letters, digits and single hyphens",
      ...identity,
      ...replaces,
    }),
    // Typed as a string: what RDS reports back is compared with it, whatever RDS adds later.
    engine: Type.Unsafe<string>({ enum: [...ENGINES], ...replaces }),
    engineVersion: Type.Optional(
      Type.String({
        pattern: "^[0-9]+(\\.[0-9A-Za-z_-]+)*$",
        description: "an engine version like 16 or 16.3",
      }),
    ),
    class: Type.String({
      pattern: "^db\\.[a-z0-9-]+\\.[a-z0-9]+$",
      description: "an instance class like db.t3.micro",
    }),
    // gp2 and gp3, RDS's storage for every engine here, start at 20 GiB (SQL Server stops at 16384: see check).
    allocatedStorageGb: Type.Optional(Type.Integer({ minimum: 20, maximum: 65536 })),
    securityGroups: Type.Optional(securityGroupList("a reference like securityGroups.db or an sg-… id")),
    // An instance in a VPC without a named subnet group is in the VPC's `default` group.
    subnetGroup: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, default: "default", ...identity }),
    ),
    multiAz: Type.Optional(Type.Boolean({ default: DATABASE_DEFAULTS.multiAz })),
    // Unset means private: parity creates it so, where AWS would make it public in a default VPC.
    publiclyAccessible: Type.Optional(Type.Boolean({ default: DATABASE_DEFAULTS.publiclyAccessible })),
    backupRetentionDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 35, default: DATABASE_DEFAULTS.backupRetentionDays }),
    ),
    deletionProtection: Type.Optional(Type.Boolean({ default: DATABASE_DEFAULTS.deletionProtection })),
    /** false: changes RDS can defer wait for the maintenance window (shown as deferred in the plan). */
    applyImmediately: Type.Optional(Type.Boolean({ default: true, ...directive })),
    masterUsername: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z][A-Za-z0-9_]{0,62}$",
        description: "a user name: a letter, then letters, digits and _",
      }),
    ),
    masterPassword: Type.Optional(
      Type.Object(
        {
          fromEnv: Type.String({
            pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
            description: "an environment variable name",
          }),
        },
        { additionalProperties: false, ...directive },
      ),
    ),
    // The data the instance holds: a new source means a new instance made from it.
    restoreFrom: Type.Optional(
      Type.Object(
        {
          snapshotOf: Type.String({
            pattern: `^(${DATABASE_REFERENCE}|${IDENTIFIER})$`,
            description: "the identifier of the source database, or a reference like databases.dev",
          }),
          alreadyRestored: Type.Optional(
            Type.Boolean({
              default: false,
              description:
                "true: the existing database already holds this source's data (promoted by hand): it is adopted and the restore recorded on it, never restored again; without it, a database with no restore recorded is replaced [data-loss]",
            }),
          ),
        },
        { additionalProperties: false, ...directive, ...replaces },
      ),
    ),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

export type DatabaseSpec = Static<typeof DatabaseSchema>;

export const databaseSpec = specReader(DatabaseSchema);
