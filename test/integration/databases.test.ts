import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySession, load, planLoaded } from "../../src/cli/workflow.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const PASSWORD = "not-a-real-password-1";
const secrets = { ...process.env, DBTEST_PASSWORD: PASSWORD };

const SECURITY_GROUP = `
securityGroups:
  db:
    name: dbtest-db
    ingress: [{ port: 5432, cidr: 10.0.0.0/16 }]
`;

const DATABASE = `
databases:
  main:
    identifier: DBTest-Main
    engine: postgres
    engineVersion: "16.3"
    class: db.t3.micro
    allocatedStorageGb: 20
    securityGroups: [securityGroups.db]
    multiAz: false
    publiclyAccessible: false
    backupRetentionDays: 7
    deletionProtection: false
    masterUsername: app
    masterPassword: { fromEnv: DBTEST_PASSWORD }
    tags: { owner: data }
`;

const HEAD = `
environment: dbtest
region: us-west-1
tags: { project: parity-test }
`;

function rds(endpoint: string): RDSClient {
  return new RDSClient({ region: "us-west-1", endpoint });
}

async function database(endpoint: string, identifier: string) {
  try {
    const found = await rds(endpoint).send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
    );
    return found.DBInstances?.[0];
  } catch {
    return undefined;
  }
}

function tagsOf(db: { TagList?: { Key?: string; Value?: string }[] } | undefined): Record<string, string> {
  return Object.fromEntries((db?.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

describe("databases against moto", () => {
  it("creates, re-plans clean, reverts an out-of-band backup change, and deletes", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + SECURITY_GROUP + DATABASE);

    const first = await planFile(file, endpoint, secrets);
    expect(actions(first.plan)).toEqual(["create securityGroups.db", "create databases.main"]);
    const create = change(first.plan, "databases.main");
    expect(create.expectedSeconds).toBe(600);
    expect(create.risks).toEqual([]);
    expect(create.after?.identifier).toBe("dbtest-main");
    // The password is used at creation only; it never reaches the plan.
    expect(JSON.stringify(first.plan)).not.toContain(PASSWORD);
    first.ctx.destroy();
    await applyFile(file, endpoint, secrets);

    const made = await database(endpoint, "dbtest-main");
    expect(made?.DBInstanceStatus).toBe("available");
    expect(made?.EngineVersion).toBe("16.3");
    expect(made?.BackupRetentionPeriod).toBe(7);
    expect(made?.PubliclyAccessible).toBe(false);
    expect(tagsOf(made)).toMatchObject({
      "parity:environment": "dbtest",
      "parity:address": "databases.main",
      project: "parity-test",
      owner: "data",
    });

    const again = await planFile(file, endpoint, secrets);
    expect(actions(again.plan)).toEqual([]);
    const sg = again.observed.find((o) => o.address === "securityGroups.db");
    expect(made?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual([sg?.id]);
    const observed = again.observed.find((o) => o.address === "databases.main");
    expect(observed?.outputs.endpoint).toMatch(/^dbtest-main\..+:5432$/);
    again.ctx.destroy();

    // Discovery reads every database with one call, however many the file names.
    const calls: string[] = [];
    const { loaded } = load(file, { secrets });
    const counted = await planLoaded(loaded!, {
      endpoint,
      onCall: (service, operation) => service === "rds" && calls.push(operation),
    });
    counted.ctx.destroy();
    expect(calls).toEqual(["DescribeDBInstances"]);

    // Someone lowers backup retention by hand: the plan shows exactly that one attribute.
    await rds(endpoint).send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: "dbtest-main",
        BackupRetentionPeriod: 1,
        ApplyImmediately: true,
      }),
    );
    const drift = await planFile(file, endpoint, secrets);
    expect(actions(drift.plan)).toEqual(["update databases.main"]);
    const update = change(drift.plan, "databases.main");
    expect(update.attributes).toEqual([
      { path: "backupRetentionDays", before: 1, after: 7, forcesReplacement: false, sensitive: false },
    ]);
    expect(update.risks).toEqual([]);
    drift.ctx.destroy();
    await applyFile(file, endpoint, secrets);
    expect((await database(endpoint, "dbtest-main"))?.BackupRetentionPeriod).toBe(7);

    const settled = await planFile(file, endpoint, secrets);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();

    writeFileSync(file, HEAD + SECURITY_GROUP);
    const removal = await planFile(file, endpoint, secrets);
    expect(actions(removal.plan)).toEqual(["delete databases.main"]);
    expect(change(removal.plan, "databases.main").risks).toEqual(["data-loss"]);
    removal.ctx.destroy();
    await applyFile(file, endpoint, secrets);
    expect(await database(endpoint, "dbtest-main")).toBeUndefined();
    // The data is kept as a final snapshot.
    const snapshots = await rds(endpoint).send(new DescribeDBSnapshotsCommand({ SnapshotType: "manual" }));
    expect(snapshots.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual([
      expect.stringMatching(/^dbtest-main-final-\d{8}t\d{6}$/),
    ]);
  });

  it("deletes a database with deletion protection on only with --allow-destroy", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(
      HEAD + SECURITY_GROUP + DATABASE.replace("deletionProtection: false", "deletionProtection: true"),
    );
    await applyFile(file, endpoint, secrets);
    writeFileSync(file, HEAD + SECURITY_GROUP);
    await expect(applyFile(file, endpoint, secrets)).rejects.toThrow(
      /dbtest-main has deletion protection on: apply with --allow-destroy/,
    );
    expect((await database(endpoint, "dbtest-main"))?.DBInstanceStatus).toBe("available");

    const removal = await planFile(file, endpoint, secrets);
    expect(change(removal.plan, "databases.main").notes).toContain(
      "dbtest-main has deletion protection on: it is lifted only with --allow-destroy",
    );
    try {
      const result = await applySession(removal, { allowDestroy: true });
      expect(result.failed).toEqual([]);
    } finally {
      removal.ctx.destroy();
    }
    expect(await database(endpoint, "dbtest-main")).toBeUndefined();
  });

  it("promotes data: replaces the target with a restore of a fresh snapshot of the source, once", async () => {
    const endpoint = emulator().endpoint;
    // The source belongs to another environment; a restore copies its tags and deletion protection.
    await rds(endpoint).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "dbtest-source",
        Engine: "postgres",
        EngineVersion: "16.3",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 20,
        MasterUsername: "dev",
        MasterUserPassword: "dev-password-1",
        DeletionProtection: true,
        Tags: [
          { Key: "parity:environment", Value: "dev" },
          { Key: "parity:address", Value: "databases.main" },
        ],
      }),
    );
    const protectedTarget = DATABASE.replace("deletionProtection: false", "deletionProtection: true");
    const file = writeEnvironment(HEAD + SECURITY_GROUP + protectedTarget);
    await applyFile(file, endpoint, secrets);

    writeFileSync(
      file,
      HEAD + SECURITY_GROUP + DATABASE + "    restoreFrom: { snapshotOf: dbtest-source }\n",
    );
    const promote = await planFile(file, endpoint, secrets);
    expect(actions(promote.plan)).toEqual(["replace databases.main"]);
    const replace = change(promote.plan, "databases.main");
    expect(replace.reason).toBe("restoreFrom changed");
    expect(replace.risks).toContain("data-loss");
    expect(replace.expectedSeconds).toBe(900);
    expect(replace.attributes.find((a) => a.path === "restoreFrom")).toMatchObject({
      after: { snapshotOf: "dbtest-source" },
      forcesReplacement: true,
    });
    expect(replace.notes).toEqual([
      "take a fresh snapshot of dbtest-source",
      "take a final snapshot of dbtest-main, then delete it",
      "dbtest-main has deletion protection on: it is lifted only with --allow-destroy",
      "restore dbtest-main from that snapshot",
    ]);
    try {
      // The old target has AWS deletion protection on: replacing it is a destroy the user allows.
      const result = await applySession(promote, { allowDestroy: true });
      expect(result.failed).toEqual([]);
    } finally {
      promote.ctx.destroy();
    }

    const fresh = await rds(endpoint).send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: "dbtest-source", SnapshotType: "manual" }),
    );
    expect(fresh.DBSnapshots?.map((s) => [s.DBSnapshotIdentifier, s.Status])).toEqual([
      [expect.stringMatching(/^parity-dbtest-main-from-dbtest-source-/), "available"],
    ]);
    // Restored from: a later promotion must take a snapshot of its own, not reuse this backup.
    const freshTags = Object.fromEntries(
      (fresh.DBSnapshots?.[0]?.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]),
    );
    expect(freshTags).toMatchObject({ "parity:snapshotFor": "databases.main", "parity:restoreDone": "true" });
    const finals = await rds(endpoint).send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: "dbtest-main", SnapshotType: "manual" }),
    );
    expect(finals.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual([
      expect.stringMatching(/^dbtest-main-final-/),
    ]);

    const restored = await database(endpoint, "dbtest-main");
    expect(restored?.DBInstanceStatus).toBe("available");
    expect(restored?.DeletionProtection).toBe(false);
    expect(restored?.BackupRetentionPeriod).toBe(7);
    expect(tagsOf(restored)).toEqual({
      "parity:environment": "dbtest",
      "parity:region": "us-west-1",
      "parity:address": "databases.main",
      "parity:restoredFrom": "dbtest-source",
      "parity:depends-on": "securityGroups.db",
      project: "parity-test",
      owner: "data",
    });
    // The source is untouched.
    expect(tagsOf(await database(endpoint, "dbtest-source"))["parity:environment"]).toBe("dev");

    const settled = await planFile(file, endpoint, secrets);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();
  });

  it("restores a database that does not exist yet as a plain create, and reports a missing source", async () => {
    const endpoint = emulator().endpoint;
    const restoreOnly = `
databases:
  copy:
    identifier: dbtest-copy
    engine: postgres
    class: db.t3.micro
    restoreFrom: { snapshotOf: dbtest-nowhere }
`;
    const file = writeEnvironment(HEAD + restoreOnly);
    await expect(planFile(file, endpoint)).rejects.toThrow(
      /restoreFrom: no database dbtest-nowhere in us-west-1/,
    );

    await rds(endpoint).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "dbtest-nowhere",
        Engine: "postgres",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 20,
        MasterUsername: "dev",
        MasterUserPassword: "dev-password-1",
      }),
    );
    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual(["create databases.copy"]);
    expect(change(plan.plan, "databases.copy").notes).toEqual([
      "take a fresh snapshot of dbtest-nowhere",
      "restore dbtest-copy from that snapshot",
    ]);
    plan.ctx.destroy();
    await applyFile(file, endpoint);
    expect(tagsOf(await database(endpoint, "dbtest-copy"))["parity:restoredFrom"]).toBe("dbtest-nowhere");
    const settled = await planFile(file, endpoint);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();
  });
});
