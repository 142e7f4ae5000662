import { ModifyDBInstanceCommand } from "@aws-sdk/client-rds";
import type {
  CreateDBInstanceMessage,
  DBInstance,
  ModifyDBInstanceMessage,
  RestoreDBInstanceFromDBSnapshotMessage,
} from "@aws-sdk/client-rds";
import { compareAttributes } from "../../../engine/compare.js";
import type { Operation } from "../../../engine/types.js";
import type { Attrs } from "../../../model/index.js";
import { stringList } from "../common/readers.js";
import type { AwsContext } from "../context.js";
import { MAINTENANCE_WINDOW_PATHS } from "./desired.js";
import type { DatabaseAttributes } from "./desired.js";
import { majorVersion } from "./engines.js";
import { waitAvailable } from "./lifecycle.js";
import { observedAttributes } from "./observe.js";

// An instance's settings: as a new or restored instance starts with them, and as ModifyDBInstance changes them.

/** What a created and a restored instance are given alike: size, placement in the network, exposure. */
export function initialSettings(
  wanted: DatabaseAttributes,
): Pick<
  CreateDBInstanceMessage & RestoreDBInstanceFromDBSnapshotMessage,
  | "DBInstanceIdentifier"
  | "DBInstanceClass"
  | "AllocatedStorage"
  | "VpcSecurityGroupIds"
  | "DBSubnetGroupName"
  | "MultiAZ"
  | "PubliclyAccessible"
> {
  return {
    DBInstanceIdentifier: wanted.identifier,
    DBInstanceClass: wanted.class,
    AllocatedStorage: wanted.allocatedStorageGb,
    VpcSecurityGroupIds: wanted.securityGroups,
    DBSubnetGroupName: wanted.subnetGroup,
    MultiAZ: wanted.multiAz,
    // Unset means private: AWS would make it public in a default VPC with an internet gateway.
    PubliclyAccessible: wanted.publiclyAccessible === true,
  };
}

/** Attributes ModifyDBInstance never changes: a new identity or data source is a replacement, tags have their own calls. */
function modifiable(path: string): boolean {
  return (
    !path.startsWith("tags.") &&
    path !== "tags" &&
    path !== "identifier" &&
    path !== "engine" &&
    !path.startsWith("restoreFrom")
  );
}

/** The ModifyDBInstance fields for the attributes that differ, or undefined when none do. */
export function modification(
  desired: Attrs,
  current: Attrs,
  applyImmediately: boolean,
): { message: Omit<ModifyDBInstanceMessage, "DBInstanceIdentifier">; paths: string[] } | undefined {
  const changed = compareAttributes(desired, current, { replaceOn: [] })
    .map((c) => c.path)
    .filter(modifiable);
  if (changed.length === 0) return undefined;
  const message: Omit<ModifyDBInstanceMessage, "DBInstanceIdentifier"> = {
    ApplyImmediately: applyImmediately,
  };
  for (const path of changed) {
    const value = desired[path];
    switch (path) {
      case "class":
        message.DBInstanceClass = String(value);
        break;
      case "engineVersion": {
        message.EngineVersion = String(value);
        const engine = String(current.engine ?? desired.engine ?? "");
        if (
          majorVersion(engine, String(value)) !== majorVersion(engine, String(current.engineVersion ?? ""))
        ) {
          message.AllowMajorVersionUpgrade = true;
        }
        break;
      }
      case "allocatedStorageGb":
        message.AllocatedStorage = Number(value);
        break;
      case "securityGroups":
        message.VpcSecurityGroupIds = stringList(value);
        break;
      case "subnetGroup":
        message.DBSubnetGroupName = String(value);
        break;
      case "multiAz":
        message.MultiAZ = value === true;
        break;
      case "publiclyAccessible":
        message.PubliclyAccessible = value === true;
        break;
      case "backupRetentionDays":
        message.BackupRetentionPeriod = Number(value);
        break;
      case "deletionProtection":
        message.DeletionProtection = value === true;
        break;
    }
  }
  // What must read back before we call the change done: deferred changes only show in the window.
  const paths = applyImmediately ? changed : changed.filter((p) => !MAINTENANCE_WINDOW_PATHS.includes(p));
  return { message, paths };
}

/** Brings an instance's settings to `desired` (one ModifyDBInstance) and waits until they read back. */
export async function converge(
  ctx: AwsContext,
  db: DBInstance,
  desired: Attrs,
  op: Operation,
  options: { applyImmediately: boolean; password?: string; wait: boolean },
): Promise<DBInstance> {
  const identifier = db.DBInstanceIdentifier ?? "";
  const current = observedAttributes(db);
  const change = modification(desired, current, options.applyImmediately);
  if (!change && options.password === undefined) return db;
  const message = change?.message ?? { ApplyImmediately: true };
  if (options.password !== undefined) message.MasterUserPassword = options.password;
  op.progress(
    `modifying ${identifier}${change ? ` (${change.paths.join(", ") || "in the maintenance window"})` : ""}`,
  );
  const modified = await ctx.rds.send(
    new ModifyDBInstanceCommand({ DBInstanceIdentifier: identifier, ...message }),
  );
  if (!options.wait) return modified.DBInstance ?? db;
  return waitAvailable(ctx, identifier, op, desired, change?.paths ?? []);
}
