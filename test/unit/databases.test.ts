import type { DBInstance } from "@aws-sdk/client-rds";
import { describe, expect, it } from "vitest";
import { load } from "../../src/cli/workflow.js";
import { computePlan } from "../../src/engine/plan.js";
import type { EnvironmentInfo, Facts } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../src/model/index.js";
import { databaseType, databases } from "../../src/providers/aws/databases/index.js";
import { deferredPaths, storageProblem } from "../../src/providers/aws/databases/desired.js";
import { versionAtPrecision } from "../../src/providers/aws/common/versions.js";
import { compareVersions, majorVersion } from "../../src/providers/aws/databases/engines.js";
import { snapshotName, stamp } from "../../src/providers/aws/databases/lifecycle.js";
import { modification } from "../../src/providers/aws/databases/settings.js";
import { observedAttributes } from "../../src/providers/aws/databases/observe.js";
import { tagRepair } from "../../src/providers/aws/databases/tags.js";

const env: EnvironmentInfo = {
  environment: "stg",
  region: "us-west-1",
  tags: { project: "k" },
  secrets: { DB_PASSWORD: "long-enough-1" },
};

const LIVE: DBInstance = {
  DBInstanceIdentifier: "khorium-stg-db",
  Engine: "postgres",
  EngineVersion: "16.3",
  DBInstanceClass: "db.t3.micro",
  AllocatedStorage: 20,
  VpcSecurityGroups: [
    { VpcSecurityGroupId: "sg-b", Status: "active" },
    { VpcSecurityGroupId: "sg-a", Status: "active" },
    { VpcSecurityGroupId: "sg-old", Status: "removing" },
  ],
  MultiAZ: false,
  BackupRetentionPeriod: 7,
  DeletionProtection: true,
  DBInstanceStatus: "available",
  Endpoint: { Address: "khorium-stg-db.x.us-west-1.rds.amazonaws.com", Port: 5432 },
  DBInstanceArn: "arn:aws:rds:us-west-1:123456789012:db:khorium-stg-db",
  TagList: [
    { Key: "parity:environment", Value: "stg" },
    { Key: "parity:region", Value: "us-west-1" },
    { Key: "parity:address", Value: "databases.main" },
    { Key: "project", Value: "k" },
  ],
};

function dbNode(spec: { [key: string]: Value }): DesiredNode {
  return {
    address: "databases.main",
    type: "databases",
    group: "databases.main",
    spec: {
      identifier: "Khorium-Stg-DB",
      engine: "postgres",
      class: "db.t3.micro",
      masterUsername: "app",
      allocatedStorageGb: 20,
      // As LIVE has them: every setting is compared, set in the file or defaulted.
      backupRetentionDays: 7,
      deletionProtection: true,
      ...spec,
    },
    dependsOn: [],
    protect: false,
  };
}

function live(overrides: Partial<DBInstance> = {}): ObservedNode {
  const db = { ...LIVE, ...overrides };
  return {
    type: "databases",
    address: "databases.main",
    id: "khorium-stg-db",
    managed: true,
    attributes: observedAttributes(db),
    outputs: {},
  };
}

function plan(spec: { [key: string]: Value }, observed: ObservedNode[], facts: Facts = {}) {
  return computePlan({
    env,
    nodes: [dbNode(spec)],
    observed,
    facts,
    types: new Map([["databases", databaseType]]),
  });
}

describe("database normalisation", () => {
  it("reads AWS's instance as comparable attributes", () => {
    expect(observedAttributes(LIVE)).toEqual({
      identifier: "khorium-stg-db",
      engine: "postgres",
      engineVersion: "16.3",
      class: "db.t3.micro",
      allocatedStorageGb: 20,
      securityGroups: ["sg-a", "sg-b"],
      subnetGroup: "default",
      multiAz: false,
      publiclyAccessible: false,
      backupRetentionDays: 7,
      deletionProtection: true,
      tags: {
        "parity:environment": "stg",
        "parity:region": "us-west-1",
        "parity:address": "databases.main",
        project: "k",
      },
    });
    const restored = observedAttributes({
      ...LIVE,
      TagList: [{ Key: "parity:restoredFrom", Value: "dev-db" }],
    });
    expect(restored.restoreFrom).toEqual({ snapshotOf: "dev-db" });
  });

  it("compares versions only as precisely as the file pins them", () => {
    expect(versionAtPrecision("16", "16.3")).toBe("16.3");
    expect(versionAtPrecision("16.3", "16.3.2")).toBe("16.3.2");
    expect(versionAtPrecision("16.4", "16.3")).toBe("16.4");
    expect(versionAtPrecision("1", "16.3")).toBe("1");
    expect(compareVersions("9.6", "10")).toBeLessThan(0);
    expect(compareVersions("16.10", "16.9")).toBeGreaterThan(0);
    expect(majorVersion("postgres", "9.6.2")).toBe("9.6");
    expect(majorVersion("postgres", "16.3")).toBe("16");
    expect(majorVersion("mysql", "8.0.35")).toBe("8.0");
  });

  it("knows storage only grows, by at least 10%", () => {
    expect(storageProblem(20, 20)).toBeUndefined();
    expect(storageProblem(30, 20)).toBeUndefined();
    expect(storageProblem(10, 20)).toMatch(/cannot shrink/);
    expect(storageProblem(21, 20)).toMatch(/at least 22/);
  });

  it("defers only what RDS defers, and only when the file asks for the maintenance window", () => {
    expect(deferredPaths(true, { class: "db.t3.small" }, {})).toEqual([]);
    expect(deferredPaths(false, { backupRetentionDays: 3 }, { backupRetentionDays: 7 })).toEqual([
      "class",
      "engineVersion",
      "allocatedStorageGb",
      "multiAz",
    ]);
    expect(deferredPaths(false, { backupRetentionDays: 0 }, { backupRetentionDays: 7 })).toContain(
      "backupRetentionDays",
    );
  });

  it("names snapshots the way RDS allows", () => {
    expect(stamp(new Date("2026-11-22T00:51:07.123Z"))).toBe("20261122t005107");
    expect(snapshotName("parity", "Stg-DB", "from", "dev_db", "20261122t005107")).toBe(
      "parity-stg-db-from-dev-db-20261122t005107",
    );
    expect(snapshotName("-a--b-")).toBe("a-b");
  });

  it("repairs a restored instance's tags: ours added, the source's parity tags dropped", () => {
    const have = {
      "parity:environment": "dev",
      "parity:address": "databases.main",
      "parity:protect": "true",
      team: "x",
    };
    const want = {
      "parity:environment": "stg",
      "parity:address": "databases.main",
      "parity:restoredFrom": "dev-db",
    };
    expect(tagRepair(have, want)).toEqual({
      add: { "parity:environment": "stg", "parity:restoredFrom": "dev-db" },
      remove: ["parity:protect"],
    });
  });

  it("builds one ModifyDBInstance from the differences, allowing a major upgrade only when needed", () => {
    const current = observedAttributes(LIVE);
    expect(modification({ ...current }, current, true)).toBeUndefined();
    const minor = modification(
      { ...current, engineVersion: "16.4", backupRetentionDays: 3, tags: { a: "b" } },
      current,
      true,
    );
    expect(minor?.message).toEqual({
      ApplyImmediately: true,
      EngineVersion: "16.4",
      BackupRetentionPeriod: 3,
    });
    const major = modification({ ...current, engineVersion: "17.1", class: "db.t3.small" }, current, false);
    expect(major?.message).toEqual({
      ApplyImmediately: false,
      EngineVersion: "17.1",
      AllowMajorVersionUpgrade: true,
      DBInstanceClass: "db.t3.small",
    });
    // Deferred changes do not read back until the window, so nothing is waited for.
    expect(major?.paths).toEqual([]);
  });
});

describe("database plans", () => {
  it("shows no changes against an equal instance, whatever the group order or version precision", () => {
    const result = plan({ engineVersion: "16", securityGroups: ["sg-b", "sg-a"] }, [live()]);
    expect(result.plan.changes.map((c) => c.action)).toEqual(["no-op"]);
    expect(result.errors).toEqual([]);
  });

  it("marks maintenance-window changes as deferred when applyImmediately is false", () => {
    const result = plan({ class: "db.t3.small", backupRetentionDays: 3, applyImmediately: false }, [live()]);
    const change = result.plan.changes[0];
    expect(change?.action).toBe("update");
    expect(change?.attributes.map((a) => [a.path, a.deferred === true])).toEqual([
      ["class", true],
      ["backupRetentionDays", false],
    ]);
    expect(change?.risks).toEqual(["downtime"]);
  });

  it("replaces for a new restore source, with data-loss, and says how", () => {
    const result = plan({ restoreFrom: { snapshotOf: "Dev-DB" } }, [live()], {
      databaseSources: { "dev-db": "available" },
    });
    const change = result.plan.changes[0];
    expect(change?.action).toBe("replace");
    expect(change?.reason).toBe("restoreFrom changed");
    expect(change?.risks).toEqual(["data-loss", "downtime"]);
    expect(change?.notes).toEqual([
      "take a fresh snapshot of dev-db",
      "take a final snapshot of khorium-stg-db, then delete it",
      "khorium-stg-db has deletion protection on: it is lifted only with --allow-destroy",
      "restore khorium-stg-db from that snapshot",
    ]);
    expect(result.errors).toEqual([]);
  });

  it("compares a setting the file leaves out with its default", () => {
    const result = plan({ backupRetentionDays: undefined as unknown as Value }, [live()]);
    expect(result.plan.changes[0]?.attributes.map((a) => [a.path, a.before, a.after])).toEqual([
      ["backupRetentionDays", 7, 1],
    ]);
  });

  it("does not restore again once the tag records the source", () => {
    const restored = live({
      TagList: [...(LIVE.TagList ?? []), { Key: "parity:restoredFrom", Value: "dev-db" }],
    });
    const result = plan({ restoreFrom: { snapshotOf: "dev-db" } }, [restored], { databaseSources: {} });
    expect(result.plan.changes.map((c) => c.action)).toEqual(["no-op"]);
    // The source may be gone by now: that no longer matters.
    expect(result.errors).toEqual([]);
  });

  it("flags public exposure, and reports changes RDS cannot make as plan errors", () => {
    expect(plan({ publiclyAccessible: true }, [live()]).plan.changes[0]?.risks).toEqual(["public-exposure"]);
    const errors = plan({ allocatedStorageGb: 10, engineVersion: "15.2" }, [live()]).errors.map(
      (e) => e.message,
    );
    expect(errors).toEqual([
      "allocatedStorageGb cannot shrink (20 → 10): RDS storage only grows",
      "engineVersion cannot go down (16.3 → 15.2)",
    ]);
    const fresh = plan({ masterUsername: undefined as unknown as Value }, []).errors.map((e) => e.message);
    expect(fresh).toEqual(["masterUsername is needed to create this database"]);
  });

  it("never puts the password into the plan, only the variable a create reads it from", () => {
    const created = plan({ masterPassword: { fromEnv: "DB_PASSWORD" } }, []);
    expect(JSON.stringify(created.plan)).not.toContain("long-enough-1");
    expect(created.plan.changes[0]?.after?.masterPassword).toEqual({
      $sensitive: true,
      changed: true,
      from: "DB_PASSWORD",
    });
    // An existing database's password is never set again: nothing to plan.
    const existing = plan({ masterPassword: { fromEnv: "DB_PASSWORD" } }, [live()]);
    expect(JSON.stringify(existing.plan)).not.toContain("masterPassword");
  });
});

describe("database checks", () => {
  const check = (spec: { [key: string]: Value }, secrets: EnvironmentInfo["secrets"] = env.secrets) =>
    databases.check?.(
      "databases.main",
      { identifier: "db", engine: "postgres", class: "db.t3.micro", ...spec },
      { ...env, secrets },
    ) ?? [];

  it("needs the password's variable, when set, to hold a password RDS accepts", () => {
    expect(check({ masterPassword: { fromEnv: "DB_PASSWORD" } })).toEqual([]);
    // Unset is no error before apply: only the apply that creates the database reads it.
    expect(check({ masterPassword: { fromEnv: "NOPE" } })).toEqual([]);
    expect(check({ masterPassword: { fromEnv: "DB_PASSWORD" } }, { DB_PASSWORD: "" })).toEqual([
      expect.objectContaining({
        path: ["masterPassword", "fromEnv"],
        message: "environment variable DB_PASSWORD is empty",
      }),
    ]);
    const bad = check({ masterPassword: { fromEnv: "DB_PASSWORD" } }, { DB_PASSWORD: "a@b" });
    expect(bad.map((p) => p.message)).toEqual(["the password in DB_PASSWORD is not one RDS accepts"]);
    expect(JSON.stringify(bad)).not.toContain("a@b");
  });

  it("refuses a database restored from itself", () => {
    expect(check({ restoreFrom: { snapshotOf: "DB" } }).map((p) => p.message)).toEqual([
      "a database cannot be restored from itself",
    ]);
  });
});

describe("database entries in the file", () => {
  const file = (entry: string) => `environment: t\nregion: us-west-1\ndatabases:\n  main:\n${entry}`;
  const messages = (yaml: string, secrets: Record<string, string> = {}) =>
    load("env.yaml", { read: () => yaml, secrets }).diagnostics.map(
      (d) => `${d.location?.line}:${d.location?.column} ${d.path} ${d.message}`,
    );

  it("explains a bad identifier at its position", () => {
    expect(messages(file("    identifier: db--x\n    engine: postgres\n    class: db.t3.micro\n"))).toEqual([
      "5:17 databases.main.identifier must be an RDS identifier: a letter, then letters, digits and single hyphens",
    ]);
  });

  it("reports a password variable that is empty, at its position, and none that is unset", () => {
    const yaml = file(
      "    identifier: db\n    engine: postgres\n    class: db.t3.micro\n    masterPassword: { fromEnv: DB_PW }\n",
    );
    expect(messages(yaml, { DB_PW: "" })).toEqual([
      "8:32 databases.main.masterPassword.fromEnv environment variable DB_PW is empty",
    ]);
    expect(messages(yaml)).toEqual([]);
    expect(messages(yaml, { DB_PW: "long-enough-1" })).toEqual([]);
  });
});
