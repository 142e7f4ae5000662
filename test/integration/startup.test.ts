import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { parity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FILE = `
environment: startup
region: us-west-1
securityGroups:
  web: { name: startup-web, ingress: [{ port: 443, cidr: 10.0.0.0/8 }] }
`;

/** Under NODE_DEBUG=module the CLI logs its load of the SDK file beside the bundle, and how. */
const sdkLoad = (stderr: string) =>
  /load \S*aws-sdk\.cjs (with|without) its code cache: (.*)/.exec(stderr)?.[2];
const sdkLoaded = (stderr: string) => sdkLoad(stderr) !== undefined;
const debugModules = { NODE_DEBUG: "module" };
/** What the CLI itself printed: the lines Node's module debugging adds left out. */
const ownLines = (stderr: string) => stderr.split("\n").filter((line) => !/^MODULE \d+:/.test(line));

/** A copy of the compiled CLI beside it (so it finds the package's schemas the same way). */
function copyOfCli(): { dir: string; main: string } {
  const cli = inject("parityCli");
  const dir = mkdtempSync(join(dirname(cli.dir), "copy-"));
  cpSync(cli.dir, dir, { recursive: true });
  return { dir, main: join(dir, basename(cli.main)) };
}

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

describe("the SDK's code cache", () => {
  it("plans the same with the cache, with a damaged one and with none, and never warns", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const copy = copyOfCli();
    const cache = join(copy.dir, "aws-sdk.cjs.v8cache");
    try {
      expect(existsSync(cache)).toBe(true);
      const plan = () => parity(["plan", file], { endpoint, main: copy.main, env: debugModules });
      const cached = await plan();
      expect(cached.code).toBe(0);
      expect(cached.stdout).toContain("startup-web");
      expect(sdkLoad(cached.stderr)).toBe("accepted");

      // Same length, damaged contents: V8 alone would not notice.
      const bytes = readFileSync(cache);
      bytes.fill(0x5a, bytes.length >> 1, (bytes.length >> 1) + 4096);
      writeFileSync(cache, bytes);
      const damaged = await plan();
      expect(sdkLoad(damaged.stderr)).toBe("none usable");

      rmSync(cache);
      const none = await plan();
      expect(sdkLoad(none.stderr)).toBe("none usable");

      for (const run of [damaged, none]) {
        expect(run.code).toBe(cached.code);
        expect(run.stdout).toBe(cached.stdout);
        expect(ownLines(run.stderr)).toEqual(ownLines(cached.stderr));
      }
    } finally {
      rmSync(copy.dir, { recursive: true, force: true });
    }
  });

  it("is left aside when source maps are on (bin/parity.js turns them on for --verbose)", async () => {
    const endpoint = emulator().endpoint;
    const env = { ...debugModules, NODE_OPTIONS: "--enable-source-maps" };
    const plan = await parity(["plan", writeEnvironment(FILE)], { endpoint, env });
    expect(plan.code).toBe(0);
    expect(sdkLoad(plan.stderr)).toBe("source maps are on");
  });
});
