import { databaseExporter } from "./export.js";
import { instanceTypeProblem } from "../common/instanceTypes.js";
import { publicDatabases } from "./wiring.js";
import { mapKind } from "../../../engine/kinds.js";
import type { EnvironmentInfo, Kind, KindProblem, ResourceType } from "../../../engine/types.js";
import type { Change, ObservedNode, Risk, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { desiredDatabase } from "./desired.js";
import { majorVersion } from "./engines.js";
import { lookupSources, observeDatabases, pendingOf } from "./observe.js";
import {
  adoptDatabase,
  createDatabase,
  deleteDatabase,
  replaceDatabase,
  updateDatabase,
} from "./operations.js";
import { DatabaseSchema, TYPE, databaseSpec } from "./schema.js";
import { owned } from "../common/owned.js";
import { rdsTagger } from "./tags.js";
import { arnOf } from "./observe.js";

/** Attributes whose change makes RDS reboot the instance. */
const REBOOT_PATHS = ["class", "engineVersion"];

/** Replacing or deleting loses the data; a reboot means downtime; public access is exposure. */
function risksOf(change: Change): Risk[] {
  const risks = new Set<Risk>();
  if (change.action === "replace" || change.action === "delete") risks.add("data-loss");
  if (change.action === "replace" || change.attributes.some((a) => REBOOT_PATHS.includes(a.path)))
    risks.add("downtime");
  const opens =
    change.after?.publiclyAccessible === true &&
    (change.action === "create" ||
      change.action === "replace" ||
      change.attributes.some((a) => a.path === "publiclyAccessible"));
  if (opens) risks.add("public-exposure");
  return [...risks];
}

/** What apply will do beyond the attribute changes, in the order it does it. */
function notesOf(change: Change, observed: ObservedNode | undefined): string[] {
  const notes: string[] = [];
  const after = change.after ?? {};
  const source = isPlainObject(after.restoreFrom) ? after.restoreFrom.snapshotOf : undefined;
  const identifier = String(after.identifier ?? observed?.id ?? "");
  const restoring =
    typeof source === "string" &&
    (change.action === "create" ||
      (change.action === "replace" && change.attributes.some((a) => a.path.startsWith("restoreFrom"))));
  if (restoring) notes.push(`take a fresh snapshot of ${source}`);
  if ((change.action === "replace" || change.action === "delete") && observed) {
    notes.push(`take a final snapshot of ${observed.id}, then delete it`);
    if (observed.attributes.deletionProtection === true) {
      notes.push(`${observed.id} has deletion protection on: it is lifted only with --allow-destroy`);
    }
  }
  if (restoring) notes.push(`restore ${identifier} from that snapshot`);
  const version = change.attributes.find((a) => a.path === "engineVersion");
  if (version && typeof version.before === "string" && typeof version.after === "string") {
    const engine = String(after.engine ?? "");
    if (majorVersion(engine, version.before) !== majorVersion(engine, version.after)) {
      notes.push(`major version upgrade ${version.before} → ${version.after}: cannot be undone`);
    }
  }
  const pending = pendingOf(observed);
  for (const a of change.attributes) {
    if (a.deferred && a.path in pending && JSON.stringify(pending[a.path]) === JSON.stringify(a.after)) {
      notes.push(`${a.path} is already scheduled for the maintenance window`);
    }
  }
  return notes;
}

/** What the schema cannot say: the password's variable, when set, holds one RDS accepts; no self-restore. */
function check(_address: string, value: { [key: string]: Value }, env: EnvironmentInfo): KindProblem[] {
  const s = databaseSpec({ spec: value });
  const problems: KindProblem[] = [];
  if (s.masterPassword) {
    const name = s.masterPassword.fromEnv;
    const password = env.secrets[name];
    // Unset is fine for validate and plan: only creating the database sets its password, and
    // apply refuses that before changing anything.
    if (password === "") {
      problems.push({
        path: ["masterPassword", "fromEnv"],
        message: `environment variable ${name} is empty`,
        hint: "export the password before running parity; it is never written to a plan",
      });
    } else if (
      password !== undefined &&
      (password.length < 8 || password.length > 128 || /[/"@\s]/.test(password))
    ) {
      // Checked here so apply does not fail half-way; the message never contains the value.
      problems.push({
        path: ["masterPassword", "fromEnv"],
        message: `the password in ${name} is not one RDS accepts`,
        hint: '8 to 128 printable characters, without /, ", @ or spaces',
      });
    }
  }
  const badClass = instanceTypeProblem(s.class.slice("db.".length), ["serverless"]);
  if (badClass) {
    problems.push({
      path: ["class"],
      message: badClass.message.replace("instance", "DB instance"),
      ...(badClass.hint ? { hint: badClass.hint.replace("did you mean ", "did you mean db.") } : {}),
    });
  }
  if (s.engine.startsWith("sqlserver") && (s.allocatedStorageGb ?? 0) > 16384) {
    problems.push({ path: ["allocatedStorageGb"], message: "SQL Server storage is at most 16384 GiB" });
  }
  const source = s.restoreFrom?.snapshotOf;
  if (source && s.identifier && source.toLowerCase() === s.identifier.toLowerCase()) {
    problems.push({
      path: ["restoreFrom", "snapshotOf"],
      message: "a database cannot be restored from itself",
    });
  }
  return problems;
}

export const databaseType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: DatabaseSchema,
  expectedSeconds: { create: 600, replace: 900, delete: 300 },
  risks: risksOf,
  notes: notesOf,
  plannedOutputs: (node) => ({ identifier: databaseSpec(node).identifier.toLowerCase() }),
  desired: desiredDatabase,
  observe: observeDatabases,
  lookup: lookupSources,
  create: createDatabase,
  update: updateDatabase,
  adopt: adoptDatabase,
  replace: replaceDatabase,
  delete: deleteDatabase,
  exporter: databaseExporter,
};

export const databases: Kind<AwsContext> = mapKind(
  owned(databaseType, (op) => rdsTagger(arnOf(op.observed))),
  {
    outputs: ["identifier", "endpoint", "address", "port", "arn"],
    check,
    wiring: [publicDatabases],
  },
);
