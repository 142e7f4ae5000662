import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitReader } from "../../src/config/git.js";
import type { Plan } from "../../src/model/index.js";
import { parity } from "../support/child.js";
import { gitRepository } from "../support/git.js";
import { actions, change, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const BASE = "region: us-west-1\ntags: { team: web }\n";
const ENV = (port: number) => `
environment: gitref
extends: ./base.yaml
securityGroups:
  app:
    name: gitref-app
    ingress: [{ port: ${port}, cidr: 10.0.0.0/8 }]
`;

function rule(port: number) {
  return [{ protocol: "tcp", fromPort: port, toPort: port, cidr: "10.0.0.0/8" }];
}

/** The file as it was at `ref`, planned in-process; the CLI runs below where its words matter. */
function planAt(file: string, endpoint: string, ref?: string): Promise<Plan> {
  return livePlan(file, endpoint, ref ? { read: gitReader(ref) } : {});
}

describe("--ref plans and applies the file as it was at a commit", () => {
  it("rolls back to the previous commit without touching the working tree", async () => {
    const endpoint = emulator().endpoint;
    const repo = gitRepository();
    repo.commit({ "envs/base.yaml": BASE, "envs/staging.yaml": ENV(80) }, "open 80");
    repo.commit({ "envs/staging.yaml": ENV(443) }, "move to 443");
    const cwd = join(repo.dir, "envs");

    const file = join(cwd, "staging.yaml");
    const now = await planAt(file, endpoint);
    expect(change(now, "securityGroups.app").after?.ingress).toEqual(rule(443));
    const before = await planAt(file, endpoint, "HEAD~1");
    expect(actions(before)).toEqual(["create securityGroups.app"]);
    expect(change(before, "securityGroups.app").after?.ingress).toEqual(rule(80));
    expect(change(before, "securityGroups.app").after?.tags).toEqual({ team: "web" });

    const applied = await parity(["apply", "staging.yaml", "--ref", "HEAD~1", "--auto-approve"], {
      endpoint,
      cwd,
    });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Converged: staging.yaml at HEAD~1 matches the live state.");

    // The live state is the old file's; the working tree is still the new one.
    const again = await parity(["plan", "staging.yaml", "--ref", "HEAD~1"], { endpoint, cwd });
    expect(again.stdout).toContain("No changes. gitref (us-west-1) matches staging.yaml at HEAD~1.");
    const forward = await planAt(file, endpoint);
    expect(actions(forward)).toEqual(["update securityGroups.app"]);
    expect(readFileSync(join(cwd, "staging.yaml"), "utf8")).toBe(ENV(443));
    expect(execFileSync("git", ["status", "--porcelain"], { cwd, encoding: "utf8" })).toBe("");
  });

  it("fails with a clear message for an unknown ref, a file absent at the ref, or no repository", async () => {
    const endpoint = emulator().endpoint;
    const repo = gitRepository();
    repo.commit({ "envs/base.yaml": BASE, "envs/staging.yaml": ENV(80) }, "first");
    repo.commit({ "envs/prod.yaml": ENV(443) }, "add prod");
    const cwd = join(repo.dir, "envs");

    const unknown = await parity(["plan", "staging.yaml", "--ref", "no-such-ref"], { endpoint, cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`staging.yaml: unknown git ref "no-such-ref" in ${repo.dir}`);

    const absent = await parity(["plan", "prod.yaml", "--ref", "HEAD~1"], { endpoint, cwd });
    expect(absent.code).toBe(1);
    expect(absent.stderr).toContain("prod.yaml: envs/prod.yaml does not exist at HEAD~1");

    const outside = writeEnvironment(ENV(80).replace("extends: ./base.yaml", "region: us-west-1"));
    const noRepo = await parity(["apply", outside, "--ref", "HEAD", "--auto-approve"], { endpoint });
    expect(noRepo.code).toBe(1);
    expect(noRepo.stderr).toContain("not inside a git repository, so --ref HEAD cannot be read");
  });
});
