import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FILE = `
environment: startup
region: us-west-1
securityGroups:
  web: { name: startup-web, ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }
`;

/** Node logs every CommonJS load under NODE_DEBUG=module; the SDK is one such file beside the bundle. */
const sdkLoaded = (stderr: string) => stderr.includes("REQUEST ./aws-sdk.cjs");
const debugModules = { NODE_DEBUG: "module" };

describe("what each command loads", () => {
  it("answers --help, validate and show without loading the AWS SDK", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const help = await parity(["--help"], { endpoint, env: debugModules });
    expect(help.code).toBe(0);
    expect(sdkLoaded(help.stderr)).toBe(false);
    const validate = await parity(["validate", file], { endpoint, env: debugModules });
    expect(validate.stdout).toContain("valid (1 resources");
    expect(sdkLoaded(validate.stderr)).toBe(false);
    const saved = `${file}.plan`;
    expect((await parity(["plan", file, "--out", saved], { endpoint })).code).toBe(0);
    const show = await parity(["show", saved], { endpoint, env: debugModules });
    expect(show.stdout).toContain("startup-web");
    expect(sdkLoaded(show.stderr)).toBe(false);
  });

  it("loads the SDK for a plan, and its precompiled validator still reports errors in place", async () => {
    const endpoint = emulator().endpoint;
    const plan = await parity(["plan", writeEnvironment(FILE)], { endpoint, env: debugModules });
    expect(plan.code).toBe(0);
    expect(sdkLoaded(plan.stderr)).toBe(true);
    const bad = writeEnvironment(FILE.replace("port: 443", "port: 70000"));
    const invalid = await parity(["validate", bad], { endpoint });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/:5:\d+ securityGroups\.web\.ingress\[0\]\.port: must be/);
  });
});
