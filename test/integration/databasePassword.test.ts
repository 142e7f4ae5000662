import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const PASSWORD = "not-a-real-password-7";

const FILE = `
environment: pwtest
region: us-west-1
databases:
  main:
    identifier: pwtest-db
    engine: postgres
    class: db.t3.micro
    allocatedStorageGb: 20
    masterUsername: app
    masterPassword: { fromEnv: PWTEST_MASTER_PASSWORD }
`;

async function databaseClass(endpoint: string): Promise<string[]> {
  const rds = new RDSClient({ region: "us-west-1", endpoint });
  try {
    const found = await rds.send(new DescribeDBInstancesCommand({}));
    return (found.DBInstances ?? []).map((d) => `${d.DBInstanceIdentifier} ${d.DBInstanceClass}`);
  } finally {
    rds.destroy();
  }
}

describe("a database's master password from the environment", () => {
  it("is needed only by the apply that creates the database, with one clear message", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);

    const validated = await parity(["validate", file], { endpoint });
    expect([validated.code, validated.stderr]).toEqual([0, ""]);
    const shown = await parity(["plan", file], { endpoint });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("(sensitive, from $PWTEST_MASTER_PASSWORD)");

    const refused = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("$PWTEST_MASTER_PASSWORD is not set");
    expect(await databaseClass(endpoint)).toEqual([]);

    const env = { PWTEST_MASTER_PASSWORD: PASSWORD };
    const created = await parity(["apply", file, "--auto-approve", "--no-checks"], { endpoint, env });
    expect(created.code).toBe(0);
    expect(created.stdout + created.stderr).not.toContain(PASSWORD);

    // The database exists: nothing planned sets its password, so nothing needs the variable.
    const again = await parity(["plan", file, "--detailed-exitcode"], { endpoint });
    expect([again.code, again.stderr]).toEqual([0, ""]);
    writeFileSync(file, readFileSync(file, "utf8").replace("db.t3.micro", "db.t3.small"));
    const resized = await parity(["apply", file, "--auto-approve", "--no-checks"], { endpoint });
    expect(resized.code).toBe(0);
    expect(await databaseClass(endpoint)).toEqual(["pwtest-db db.t3.small"]);
  });
});
