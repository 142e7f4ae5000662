import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBInstances,
} from "@aws-sdk/client-rds";
import type { DBInstance } from "@aws-sdk/client-rds";
import { oneNode } from "../../../engine/kinds.js";
import type { EnvironmentInfo, Facts, Kind, KindProblem, ResourceType } from "../../../engine/types.js";
import type { Attrs, ObservedNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { adoptionTags, fromAwsTags, ownedElsewhere, ownership, toAwsTags } from "../tags.js";
import {
  deferredPaths,
  engineName,
  observedAttributes,
  outputsOf,
  pendingAttributes,
  sortSet,
  versionAtPrecision,
} from "./normalise.js";
import {
  addTags,
  claimExisting,
  converge,
  deleteInstance,
  describeOne,
  instanceTags,
  isAlreadyExists,
  waitAvailable,
} from "./operations.js";
import { notesOf, planErrors, risksOf, sourceOf } from "./plan.js";
import { restoreInto } from "./restore.js";
import { databaseSchema } from "./schema.js";
import { REFERENCE, SOURCES, TYPE, passwordOf, spec } from "./spec.js";

function observe(db: DBInstance, env: EnvironmentInfo): ObservedNode {
  const owner = ownership(fromAwsTags(db.TagList), env);
  return {
    type: TYPE,
    ...(owner.address ? { address: owner.address } : {}),
    id: (db.DBInstanceIdentifier ?? "").toLowerCase(),
    managed: owner.managed,
    protect: owner.protect,
    attributes: observedAttributes(db),
    outputs: outputsOf(db),
    details: {
      arn: db.DBInstanceArn ?? "",
      status: db.DBInstanceStatus ?? "",
      pending: pendingAttributes(db.PendingModifiedValues),
    },
  };
}

export const databaseType: ResourceType<AwsContext> = {
  type: TYPE,
  // `restoreFrom` is the data the instance holds: a new source means a new instance made from it.
  replaceOn: ["identifier", "engine", "restoreFrom"],
  expectedSeconds: { create: 600, replace: 900, delete: 300 },
  risks: risksOf,
  notes: notesOf,

  plannedOutputs(node) {
    return { identifier: spec(node.spec).identifier.toLowerCase() };
  },

  desired(node, resolver, observed) {
    const s = spec(node.spec);
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
            securityGroups: sortSet(
              s.securityGroups.map((ref) => (ref.startsWith("sg-") ? ref : resolver.output(ref, "id"))),
            ),
          }
        : {}),
      ...(s.subnetGroup !== undefined ? { subnetGroup: s.subnetGroup.toLowerCase() } : {}),
      ...(s.multiAz !== undefined ? { multiAz: s.multiAz } : {}),
      ...(s.publiclyAccessible !== undefined ? { publiclyAccessible: s.publiclyAccessible } : {}),
      ...(s.backupRetentionDays !== undefined ? { backupRetentionDays: s.backupRetentionDays } : {}),
      ...(s.deletionProtection !== undefined ? { deletionProtection: s.deletionProtection } : {}),
      tags: { ...resolver.env.tags, ...(s.tags ?? {}) },
    };
    const source = sourceOf(s, resolver);
    if (source !== undefined) attributes.restoreFrom = { snapshotOf: source };
    const errors = planErrors(s, attributes, observed, resolver);
    return {
      attributes,
      deferred: deferredPaths(s.applyImmediately !== false, attributes, observed?.attributes),
      ...(errors.length > 0 ? { errors } : {}),
    };
  },

  async observe(ctx, nodes, env) {
    const wanted = new Map(nodes.map((n) => [spec(n.spec).identifier.toLowerCase(), n.address]));
    const found: ObservedNode[] = [];
    // One paginated call for every instance of the region: tags come with it in TagList.
    for await (const page of paginateDescribeDBInstances({ client: ctx.rds }, {})) {
      for (const db of page.DBInstances ?? []) {
        // An instance being deleted (an interrupted replacement) is already gone for planning.
        if (db.DBInstanceStatus === "deleting") continue;
        const observed = observe(db, env);
        if (observed.managed) found.push(observed);
        else if (!ownedElsewhere(fromAwsTags(db.TagList), env) && wanted.has(observed.id)) {
          found.push({ ...observed, address: wanted.get(observed.id) as string });
        }
      }
    }
    return found;
  },

  async lookup(ctx, nodes): Promise<Facts> {
    // Restore sources named by identifier: one filtered describe, so the plan can say a source is missing.
    const sources = [
      ...new Set(
        nodes
          .map((n) => spec(n.spec).restoreFrom?.snapshotOf)
          .filter((s): s is string => !!s && !REFERENCE.test(s))
          .map((s) => s.toLowerCase()),
      ),
    ];
    if (sources.length === 0) return {};
    const found = await ctx.rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: "db-instance-id", Values: sources }] }),
    );
    const exists: { [id: string]: Value } = {};
    for (const db of found.DBInstances ?? [])
      if (db.DBInstanceIdentifier) exists[db.DBInstanceIdentifier.toLowerCase()] = db.DBInstanceStatus ?? "";
    return { [SOURCES]: exists };
  },

  async create(ctx, op) {
    const desired = op.desired ?? {};
    if (desired.restoreFrom) return restoreInto(ctx, op, undefined);
    const node = op.node!;
    const s = spec(node.spec);
    const identifier = String(desired.identifier);
    const password = passwordOf(s, op.env);
    try {
      op.progress(`creating ${identifier}`);
      const made = await ctx.rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          Engine: String(desired.engine),
          ...(desired.engineVersion !== undefined ? { EngineVersion: String(desired.engineVersion) } : {}),
          DBInstanceClass: String(desired.class),
          AllocatedStorage: Number(desired.allocatedStorageGb),
          ...(desired.securityGroups
            ? { VpcSecurityGroupIds: (desired.securityGroups as Value[]).map(String) }
            : {}),
          ...(desired.subnetGroup !== undefined ? { DBSubnetGroupName: String(desired.subnetGroup) } : {}),
          ...(desired.multiAz !== undefined ? { MultiAZ: desired.multiAz === true } : {}),
          // Unset means private: AWS would make it public in a default VPC with an internet gateway.
          PubliclyAccessible: desired.publiclyAccessible === true,
          ...(desired.backupRetentionDays !== undefined
            ? { BackupRetentionPeriod: Number(desired.backupRetentionDays) }
            : {}),
          ...(desired.deletionProtection !== undefined
            ? { DeletionProtection: desired.deletionProtection === true }
            : {}),
          MasterUsername: s.masterUsername,
          // Without a password in the file, RDS keeps one in Secrets Manager: nothing secret passes through parity.
          ...(password !== undefined ? { MasterUserPassword: password } : { ManageMasterUserPassword: true }),
          Tags: toAwsTags(instanceTags(desired, op)),
        }),
      );
      if (op.noWait && made.DBInstance) return outputsOf(made.DBInstance);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      // A re-run after an interrupted apply: carry on only if the instance is ours.
      const existing = await claimExisting(ctx, identifier, op);
      if (op.noWait) return outputsOf(existing);
    }
    const db = await waitAvailable(ctx, identifier, op);
    return outputsOf(db);
  },

  async update(ctx, op) {
    const observed = op.observed!;
    const desired = op.desired ?? {};
    const db = await describeOne(ctx, observed.id);
    if (!db) throw new Error(`database ${observed.id} no longer exists`);
    await addTags(ctx, db, desired.tags as Record<string, string>);
    const done = await converge(ctx, db, desired, op, {
      applyImmediately: spec(op.node!.spec).applyImmediately !== false,
      wait: !op.noWait,
    });
    return outputsOf(done);
  },

  async adopt(ctx, op) {
    const arn = String(op.observed?.details?.arn ?? "");
    await ctx.rds.send(
      new AddTagsToResourceCommand({
        ResourceName: arn,
        Tags: adoptionTags(op),
      }),
    );
    return databaseType.update(ctx, op);
  },

  async replace(ctx, op) {
    const desired = op.desired ?? {};
    if (desired.restoreFrom) return restoreInto(ctx, op, op.observed);
    // The new instance may reuse the identifier, so the old one must be gone first.
    if (op.observed) await deleteInstance(ctx, op.observed.id, op, { wait: true });
    return databaseType.create(ctx, { ...op, desired: desired });
  },

  async delete(ctx, op) {
    const id = op.observed?.id ?? op.change.id ?? "";
    await deleteInstance(ctx, id, op, { wait: !op.noWait });
  },
};

export const databases: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: databaseSchema,
  outputs: ["identifier", "endpoint", "address", "port", "arn"],
  expand: oneNode(TYPE),
  types: [databaseType],
  check(_address: string, value: { [key: string]: Value }, env: EnvironmentInfo): KindProblem[] {
    const s = spec(value);
    const problems: KindProblem[] = [];
    if (s.masterPassword) {
      const name = s.masterPassword.fromEnv;
      const password = env.secrets[name];
      if (password === undefined || password === "") {
        problems.push({
          path: ["masterPassword", "fromEnv"],
          message: `environment variable ${name} is not set`,
          hint: "export it before running parity; the password is never written to a plan",
        });
      } else if (password.length < 8 || password.length > 128 || /[/"@\s]/.test(password)) {
        // Checked here so apply does not fail half-way; the message never contains the value.
        problems.push({
          path: ["masterPassword", "fromEnv"],
          message: `the password in ${name} is not one RDS accepts`,
          hint: '8 to 128 printable characters, without /, ", @ or spaces',
        });
      }
    }
    const source = s.restoreFrom?.snapshotOf;
    if (source && s.identifier && source.toLowerCase() === s.identifier.toLowerCase()) {
      problems.push({
        path: ["restoreFrom", "snapshotOf"],
        message: "a database cannot be restored from itself",
      });
    }
    return problems;
  },
};
