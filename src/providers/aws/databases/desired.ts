import { sortIds } from "../common/lists.js";
import type { DesiredState, EnvironmentInfo, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { userTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { maybeBoolean, maybeNumber, maybeString, stringList, tagMap } from "../common/readers.js";
import { versionAtPrecision } from "../common/versions.js";
import { compareVersions, engineName } from "./engines.js";
import { DATABASE_DEFAULTS, REFERENCE, databaseSpec } from "./schema.js";
import type { DatabaseSpec } from "./schema.js";

/** Facts key: source identifiers of `restoreFrom` that exist in the region. */
export const SOURCES = "databaseSources";

/**
 * Attributes RDS changes in the maintenance window when ApplyImmediately is false. With the
 * default (`applyImmediately: true`) nothing is deferred. Security groups, public access,
 * deletion protection and tags always apply at once, whatever the flag says.
 */
export const MAINTENANCE_WINDOW_PATHS = ["class", "engineVersion", "allocatedStorageGb", "multiAz"];

/**
 * The master password, read from the process environment only when a call sets it (creating the
 * database); never an attribute's value. Undefined when the file gives none; an unset variable
 * is an error here, for an apply that got past the plan's check (a saved plan, a replacement).
 */
export function passwordOf(s: DatabaseSpec, env: EnvironmentInfo): string | undefined {
  if (!s.masterPassword) return undefined;
  const name = s.masterPassword.fromEnv;
  const password = env.secrets[name];
  if (password === undefined)
    throw new Error(`$${name} is not set; export the master password and run apply again`);
  return password;
}

/** Creating the database sets its password: the plan says which variable apply will read. */
export function plannedPassword(s: DatabaseSpec, observed: ObservedNode | undefined): Attrs {
  if (!s.masterPassword || observed) return {};
  return { masterPassword: { $sensitive: true, changed: true, from: s.masterPassword.fromEnv } };
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
function togglesBackups(want: Value | undefined, have: Value | undefined): boolean {
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

/** The identifier of the restore source: written in the file, or the identifier of a database it references. */
export function sourceOf(s: DatabaseSpec, resolver: Resolver): Value | undefined {
  const source = s.restoreFrom?.snapshotOf;
  if (!source) return undefined;
  return REFERENCE.test(source) ? resolver.output(source, "identifier") : source.toLowerCase();
}

/** `alreadyRestored` applies to a live database with no restore recorded; one recorded from elsewhere differs. */
export function alreadyHolds(s: DatabaseSpec, observed: ObservedNode | undefined): boolean {
  return (
    s.restoreFrom?.alreadyRestored === true && !!observed && observed.attributes.restoreFrom === undefined
  );
}

/** The restore sources the file names by identifier: discovery checks that they exist. */
export function namedSources(nodes: DesiredNode[]): string[] {
  const named = nodes
    .map((n) => databaseSpec(n).restoreFrom?.snapshotOf)
    .filter((s): s is string => !!s && !REFERENCE.test(s))
    .map((s) => s.toLowerCase());
  return [...new Set(named)];
}

function restoreDiffers(desired: Attrs, observed: ObservedNode | undefined): boolean {
  if (!desired.restoreFrom) return false;
  return JSON.stringify(observed?.attributes.restoreFrom ?? null) !== JSON.stringify(desired.restoreFrom);
}

/** Replacement comes from the identity attributes; in-place checks only apply when the instance is kept. */
function replacing(desired: Attrs, observed: ObservedNode | undefined): boolean {
  if (!observed) return false;
  return (
    desired.identifier !== observed.attributes.identifier ||
    desired.engine !== observed.attributes.engine ||
    restoreDiffers(desired, observed)
  );
}

/** What RDS would refuse (or what a create lacks), found at plan time rather than half-way through apply. */
function planErrors(
  s: DatabaseSpec,
  desired: Attrs,
  observed: ObservedNode | undefined,
  resolver: Resolver,
): { message: string; hint?: string }[] {
  const errors: { message: string; hint?: string }[] = [];
  const restoring = !!s.restoreFrom;
  if ((!observed || replacing(desired, observed)) && !restoring) {
    if (!s.masterUsername) {
      errors.push({
        message: "masterUsername is needed to create this database",
        hint: "set masterUsername (and masterPassword: { fromEnv: VAR }), or restoreFrom",
      });
    }
    if (s.allocatedStorageGb === undefined)
      errors.push({ message: "allocatedStorageGb is needed to create this database" });
  }
  const sources = resolver.facts[SOURCES];
  const source = isPlainObject(desired.restoreFrom) ? desired.restoreFrom.snapshotOf : undefined;
  if (
    typeof source === "string" &&
    isPlainObject(sources) &&
    !(source in sources) &&
    restoreDiffers(desired, observed)
  ) {
    errors.push({
      message: `restoreFrom: no database ${source} in ${resolver.env.region}`,
      hint: "the source must be an RDS instance in the same account and region",
    });
  }
  if (observed && !replacing(desired, observed)) {
    const have = observed.attributes;
    if (typeof desired.allocatedStorageGb === "number" && typeof have.allocatedStorageGb === "number") {
      const problem = storageProblem(desired.allocatedStorageGb, have.allocatedStorageGb);
      if (problem) errors.push({ message: problem });
    }
    if (
      typeof desired.engineVersion === "string" &&
      typeof have.engineVersion === "string" &&
      compareVersions(desired.engineVersion, have.engineVersion) < 0
    ) {
      errors.push({
        message: `engineVersion cannot go down (${have.engineVersion} → ${desired.engineVersion})`,
        hint: "RDS only upgrades in place; restore a snapshot into a new database instead",
      });
    }
  }
  return errors;
}

/**
 * The instance the file asks for. A version matches at the precision the file pins it, security
 * groups are a set, and the restore source is the identifier of the database whose data it holds.
 */
export function desiredDatabase(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const s = databaseSpec(node);
  const attributes: Attrs = {
    identifier: s.identifier.toLowerCase(),
    engine: engineName(s.engine),
    ...(s.engineVersion !== undefined
      ? { engineVersion: versionAtPrecision(s.engineVersion, observed?.attributes.engineVersion) }
      : {}),
    class: s.class.toLowerCase(),
    ...(s.allocatedStorageGb !== undefined ? { allocatedStorageGb: s.allocatedStorageGb } : {}),
    ...(s.securityGroups
      ? {
          securityGroups: sortIds(
            s.securityGroups.map((ref) => (ref.startsWith("sg-") ? ref : resolver.output(ref, "id"))),
          ),
        }
      : {}),
    ...(s.subnetGroup !== undefined ? { subnetGroup: s.subnetGroup.toLowerCase() } : {}),
    multiAz: s.multiAz ?? DATABASE_DEFAULTS.multiAz,
    publiclyAccessible: s.publiclyAccessible ?? DATABASE_DEFAULTS.publiclyAccessible,
    backupRetentionDays: s.backupRetentionDays ?? DATABASE_DEFAULTS.backupRetentionDays,
    deletionProtection: s.deletionProtection ?? DATABASE_DEFAULTS.deletionProtection,
    tags: userTags(resolver.env, s.tags),
  };
  const source = sourceOf(s, resolver);
  // Data promoted by hand, as the file says: compared as the live database stands, and recorded
  // on it by the adopt or update (operations.ts), so it is never restored over.
  const heldAlready = alreadyHolds(s, observed);
  if (source !== undefined && !heldAlready) attributes.restoreFrom = { snapshotOf: source };
  const errors = planErrors(s, attributes, observed, resolver);
  const password = plannedPassword(s, observed);
  return {
    attributes: { ...attributes, ...password },
    ...("masterPassword" in password ? { sensitive: ["masterPassword"] } : {}),
    ...(heldAlready && typeof source === "string"
      ? {
          notes: [
            `already holds data from ${source} (restoreFrom.alreadyRestored): recorded, not restored again`,
          ],
        }
      : {}),
    deferred: deferredPaths(s.applyImmediately !== false, attributes, observed?.attributes),
    ...(errors.length > 0 ? { errors } : {}),
  };
}

/** The attributes `desiredDatabase` produces, as apply reads them back once every reference is known. */
export type DatabaseAttributes = Pick<
  DatabaseSpec,
  | "identifier"
  | "engine"
  | "engineVersion"
  | "class"
  | "allocatedStorageGb"
  | "securityGroups"
  | "subnetGroup"
  | "multiAz"
  | "publiclyAccessible"
  | "backupRetentionDays"
  | "deletionProtection"
  | "restoreFrom"
> & { tags: TagMap };

export function databaseAttributes(attrs: Attrs): DatabaseAttributes {
  const source = isPlainObject(attrs.restoreFrom) ? maybeString(attrs.restoreFrom.snapshotOf) : undefined;
  return {
    identifier: String(attrs.identifier),
    engine: String(attrs.engine),
    engineVersion: maybeString(attrs.engineVersion),
    class: String(attrs.class),
    allocatedStorageGb: maybeNumber(attrs.allocatedStorageGb),
    securityGroups: attrs.securityGroups === undefined ? undefined : stringList(attrs.securityGroups),
    subnetGroup: maybeString(attrs.subnetGroup),
    multiAz: maybeBoolean(attrs.multiAz),
    publiclyAccessible: maybeBoolean(attrs.publiclyAccessible),
    backupRetentionDays: maybeNumber(attrs.backupRetentionDays),
    deletionProtection: maybeBoolean(attrs.deletionProtection),
    restoreFrom: source === undefined ? undefined : { snapshotOf: source },
    tags: tagMap(attrs.tags),
  };
}
