import type { DBInstance, PendingModifiedValues } from "@aws-sdk/client-rds";
import type { Attrs, Value } from "../../../model/index.js";
import { fromAwsTags } from "../tags.js";

/** Records which database a restored instance holds the data of, so a restore happens once. */
export const TAG_RESTORED_FROM = "parity:restoredFrom";

/**
 * Attributes RDS changes in the maintenance window when ApplyImmediately is false. With the
 * default (`applyImmediately: true`) nothing is deferred. Security groups, public access,
 * deletion protection and tags always apply at once, whatever the flag says.
 */
export const MAINTENANCE_WINDOW_PATHS = ["class", "engineVersion", "allocatedStorageGb", "multiAz"];

/** Attributes whose change makes RDS reboot the instance. */
export const REBOOT_PATHS = ["class", "engineVersion"];

const ENGINE_ALIASES: Record<string, string> = { postgresql: "postgres" };

export function engineName(engine: string): string {
  const lower = engine.toLowerCase();
  return ENGINE_ALIASES[lower] ?? lower;
}

/**
 * The file may pin a version only as precisely as it cares (`16` or `16.3`); a live `16.3.2`
 * matches both. Returns the live version when it is within the file's, else the file's.
 */
export function versionAtPrecision(want: string, have: Value | undefined): string {
  if (typeof have === "string" && (have === want || have.startsWith(want + "."))) return have;
  return want;
}

function parts(version: string): number[] {
  return version.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

/** Numeric, part-by-part comparison: 9.6 < 10 < 10.1 < 16.3. */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The major version as RDS counts it: `16` for PostgreSQL 10+, `9.6` before, `8.0` for MySQL. */
export function majorVersion(engine: string, version: string): string {
  const [first = "0", second = "0"] = version.split(".");
  if (engine.includes("postgres") && Number(first) >= 10) return first;
  return `${first}.${second}`;
}

/** Why a storage change cannot be made in place, or undefined when it can. */
export function storageProblem(want: number, have: number): string | undefined {
  if (want < have) return `allocatedStorageGb cannot shrink (${have} → ${want}): RDS storage only grows`;
  if (want > have && want < Math.ceil(have * 1.1)) {
    return `allocatedStorageGb must grow by at least 10% (${have} → at least ${Math.ceil(have * 1.1)})`;
  }
  return undefined;
}

/** Turning automated backups on or off reboots the instance, so RDS defers it like a class change. */
export function togglesBackups(want: Value | undefined, have: Value | undefined): boolean {
  return typeof want === "number" && typeof have === "number" && (want === 0) !== (have === 0);
}

export function deferredPaths(
  applyImmediately: boolean,
  desired: Attrs,
  observed: Attrs | undefined,
): string[] {
  if (applyImmediately) return [];
  const out = [...MAINTENANCE_WINDOW_PATHS];
  if (togglesBackups(desired.backupRetentionDays, observed?.backupRetentionDays))
    out.push("backupRetentionDays");
  return out;
}

/** The instance as comparable attributes; absent flags are AWS's `false` defaults. */
export function observedAttributes(db: DBInstance): Attrs {
  const tags = fromAwsTags(db.TagList);
  const restoredFrom = tags[TAG_RESTORED_FROM];
  return {
    identifier: (db.DBInstanceIdentifier ?? "").toLowerCase(),
    engine: engineName(db.Engine ?? ""),
    engineVersion: db.EngineVersion ?? "",
    class: (db.DBInstanceClass ?? "").toLowerCase(),
    allocatedStorageGb: db.AllocatedStorage ?? 0,
    securityGroups: securityGroupIds(db),
    // An instance in a VPC without a named subnet group is in the VPC's `default` group.
    subnetGroup: db.DBSubnetGroup?.DBSubnetGroupName ?? "default",
    multiAz: db.MultiAZ ?? false,
    publiclyAccessible: db.PubliclyAccessible ?? false,
    backupRetentionDays: db.BackupRetentionPeriod ?? 0,
    deletionProtection: db.DeletionProtection ?? false,
    ...(restoredFrom ? { restoreFrom: { snapshotOf: restoredFrom } } : {}),
    tags,
  };
}

/** Groups being removed are already on their way out; the rest, sorted, since AWS treats them as a set. */
export function securityGroupIds(db: DBInstance): string[] {
  return (db.VpcSecurityGroups ?? [])
    .filter((g) => g.VpcSecurityGroupId && g.Status !== "removing")
    .map((g) => g.VpcSecurityGroupId as string)
    .sort();
}

/** Set-like values sorted canonically; Unknowns (groups still to be created) sort by their text. */
export function sortSet(values: Value[]): Value[] {
  return [...values].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Changes requested for the maintenance window, in attribute names. */
export function pendingAttributes(pending: PendingModifiedValues | undefined): Attrs {
  if (!pending) return {};
  const out: Attrs = {};
  if (pending.DBInstanceClass) out.class = pending.DBInstanceClass;
  if (pending.EngineVersion) out.engineVersion = pending.EngineVersion;
  if (pending.AllocatedStorage !== undefined) out.allocatedStorageGb = pending.AllocatedStorage;
  if (pending.MultiAZ !== undefined) out.multiAz = pending.MultiAZ;
  if (pending.BackupRetentionPeriod !== undefined) out.backupRetentionDays = pending.BackupRetentionPeriod;
  return out;
}

export function outputsOf(db: DBInstance): { [key: string]: Value } {
  const address = db.Endpoint?.Address ?? "";
  const port = db.Endpoint?.Port ?? db.DbInstancePort ?? 0;
  return {
    identifier: (db.DBInstanceIdentifier ?? "").toLowerCase(),
    address,
    port,
    endpoint: address ? `${address}:${port}` : "",
    arn: db.DBInstanceArn ?? "",
  };
}

/** `20261122t005107`: letters and digits only, so it is valid inside a snapshot identifier. */
export function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/[-:]/g, "")
    .toLowerCase();
}

/** Snapshot identifiers allow letters, digits and single hyphens, up to 255 characters. */
export function snapshotName(...pieces: string[]): string {
  return pieces
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 255)
    .replace(/-$/, "");
}

/**
 * How to make an instance's tags ours: add what differs, and drop any `parity:` tag we do not
 * want (a restore copies the source's ownership tags, which would claim the copy for the source).
 */
export function tagRepair(
  have: Record<string, string>,
  want: Record<string, string>,
): { add: Record<string, string>; remove: string[] } {
  const add = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  const remove = Object.keys(have).filter((k) => k.startsWith("parity:") && !(k in want));
  return { add, remove };
}
