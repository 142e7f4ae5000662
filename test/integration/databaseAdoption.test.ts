import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from "@aws-sdk/client-rds";
import { describe, expect, it } from "vitest";
import { renderPlanText } from "../../src/render/text.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

function rds(endpoint: string): RDSClient {
  return new RDSClient({ region: "us-west-1", endpoint });
}

/**
 * The khorium runbook's promotion by hand: `aws rds create-db-snapshot` of dev, then
 * `aws rds restore-db-instance-from-db-snapshot` into the staging identifier.
 */
async function promotedByHand(endpoint: string): Promise<void> {
  await rds(endpoint).send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "khorium-webdev-db",
      Engine: "postgres",
      DBInstanceClass: "db.t3.micro",
      AllocatedStorage: 20,
      MasterUsername: "khorium",
      MasterUserPassword: "dev-password-not-secret",
    }),
  );
  await rds(endpoint).send(
    new CreateDBSnapshotCommand({
      DBInstanceIdentifier: "khorium-webdev-db",
      DBSnapshotIdentifier: "khorium-webdev-db-promote-20261120",
    }),
  );
  await rds(endpoint).send(
    new RestoreDBInstanceFromDBSnapshotCommand({
      DBInstanceIdentifier: "khorium-staging-db",
      DBSnapshotIdentifier: "khorium-webdev-db-promote-20261120",
      DBInstanceClass: "db.t3.micro",
    }),
  );
}

function file(restore: string): string {
  return `
environment: dbadopt
region: us-west-1
databases:
  main:
    identifier: khorium-staging-db
    engine: postgres
    class: db.t3.micro
    allocatedStorageGb: 20
    restoreFrom: ${restore}
    protect: true
`;
}

async function tags(endpoint: string): Promise<Record<string, string>> {
  const found = await rds(endpoint).send(
    new DescribeDBInstancesCommand({ DBInstanceIdentifier: "khorium-staging-db" }),
  );
  const list = found.DBInstances?.[0]?.TagList ?? [];
  return Object.fromEntries(list.map((t) => [t.Key ?? "", t.Value ?? ""]));
}

describe("adopting a database promoted by hand", () => {
  it("without alreadyRestored, refuses to replace it, and with replaceUnmanaged plans a data-loss replacement", async () => {
    const endpoint = emulator().endpoint;
    await promotedByHand(endpoint);
    await expect(
      planFile(writeEnvironment(file("{ snapshotOf: khorium-webdev-db }")), endpoint),
    ).rejects.toThrow("databases.main: would replace khorium-staging-db, which parity did not create");
    const optedIn = file("{ snapshotOf: khorium-webdev-db }") + "    replaceUnmanaged: true\n";
    const plan = await planFile(writeEnvironment(optedIn), endpoint);
    expect(actions(plan.plan)).toEqual(["replace databases.main"]);
    expect(change(plan.plan, "databases.main").risks).toEqual(
      expect.arrayContaining(["data-loss", "unmanaged"]),
    );
    plan.ctx.destroy();
  });

  it("with alreadyRestored, adopts it, records the restore, and never restores again", async () => {
    const endpoint = emulator().endpoint;
    await promotedByHand(endpoint);
    const env = writeEnvironment(file("{ snapshotOf: khorium-webdev-db, alreadyRestored: true }"));

    const plan = await planFile(env, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt databases.main"]);
    const adopt = change(plan.plan, "databases.main");
    expect(adopt.attributes).toEqual([]);
    expect(adopt.risks).toEqual([]);
    expect(renderPlanText(plan.plan)).toContain(
      "already holds data from khorium-webdev-db (restoreFrom.alreadyRestored): recorded, not restored again",
    );
    plan.ctx.destroy();
    await applyFile(env, endpoint);

    expect(await tags(endpoint)).toMatchObject({
      "parity:address": "databases.main",
      "parity:restoredFrom": "khorium-webdev-db",
    });
    const again = await planFile(env, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
    // Recorded: the flag can go, and the database is still the one holding that data.
    const plain = await planFile(writeEnvironment(file("{ snapshotOf: khorium-webdev-db }")), endpoint);
    expect(actions(plain.plan)).toEqual([]);
    plain.ctx.destroy();
  });
});
