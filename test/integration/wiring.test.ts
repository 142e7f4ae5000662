import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FILE = `environment: wiring
region: us-west-1
securityGroups:
  app:
    name: wiring-app
    ingress:
      - { port: 8080, cidr: 10.0.0.0/8 }
      - { port: 22, cidr: 0.0.0.0/0 }
`;

const SSH = "securityGroups.app.ingress[1].cidr";

describe("wiring checks in validate and plan", () => {
  it("are warnings with positions in the plan, errors with --strict", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);

    // What the plan carries (and --json prints); the commands below only present it.
    expect((await livePlan(file, endpoint)).warnings).toEqual([
      {
        severity: "warning",
        location: { file, line: 8, column: 27 },
        path: SSH,
        message: "SSH (port 22) is open to the world (0.0.0.0/0)",
        hint: "allow only the addresses that need it, e.g. cidr: 203.0.113.10/32",
      },
    ]);

    const text = await parity(["plan", file], { endpoint });
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe(
      `${file}:8:27 ${SSH}: warning: SSH (port 22) is open to the world (0.0.0.0/0) (allow only the addresses that need it, e.g. cidr: 203.0.113.10/32)`,
    );

    const strict = await parity(["plan", file, "--strict"], { endpoint });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe("");
    expect(strict.stderr).toContain(`error: ${file}:8:27 ${SSH}: SSH (port 22) is open to the world`);

    const clean = writeEnvironment(FILE.replace("0.0.0.0/0", "203.0.113.10/32"));
    expect((await parity(["plan", clean, "--strict"], { endpoint })).code).toBe(0);
  });

  it("are warnings in validate, errors with --strict", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const validate = await parity(["validate", file], { endpoint });
    expect(validate.code).toBe(0);
    expect(validate.stderr).toContain(`${file}:8:27 ${SSH}: warning: SSH`);
    expect(validate.stdout).toContain("; 1 wiring warning above");
    const strictValidate = await parity(["validate", file, "--strict"], { endpoint });
    expect(strictValidate.code).toBe(1);

    const clean = writeEnvironment(FILE.replace("0.0.0.0/0", "203.0.113.10/32"));
    expect((await parity(["validate", clean, "--strict"], { endpoint })).code).toBe(0);
  });
});
