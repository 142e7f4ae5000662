import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { registered } from "../../src/cli/workflow.js";
import { loadEnvironment } from "../../src/config/index.js";
import { gitReader } from "../../src/config/git.js";
import { formatDiagnostic } from "../../src/model/index.js";
import { gitRepository } from "../support/git.js";

const BASE_V1 =
  "region: us-west-1\nsecurityGroups:\n  app:\n    name: app\n    ingress: [{ port: 80, cidr: 10.0.0.0/8 }]\n";
const BASE_V2 = BASE_V1.replace("port: 80", "port: 443");
const ENV_V1 = "environment: staging\nextends: ../shared/base.yaml\n";
const ENV_V2 = ENV_V1 + "tags: { team: web }\n";

function history() {
  const repo = gitRepository();
  repo.commit({ "shared/base.yaml": BASE_V1, "envs/staging.yaml": ENV_V1 }, "first");
  repo.commit({ "shared/base.yaml": BASE_V2, "envs/staging.yaml": ENV_V2 }, "second");
  return repo;
}

function loadAt(file: string, ref: string) {
  return loadEnvironment(file, { ...registered, read: gitReader(ref), secrets: {} });
}

describe("gitReader (--ref)", () => {
  it("reads the file and what it extends as they were at the ref, not as they are on disk", () => {
    const repo = history();
    const file = join(repo.dir, "envs", "staging.yaml");
    const old = loadAt(file, "HEAD~1");
    expect(old.diagnostics).toEqual([]);
    expect(old.environment?.nodes.map((n) => n.spec.ingress)).toEqual([[{ port: 80, cidr: "10.0.0.0/8" }]]);
    expect(old.environment?.tags).toEqual({});
    const now = loadAt(file, "HEAD");
    expect(now.environment?.nodes.map((n) => n.spec.ingress)).toEqual([[{ port: 443, cidr: "10.0.0.0/8" }]]);
    expect(now.environment?.tags).toEqual({ team: "web" });
  });

  it("reads a file deleted from the working tree, folder and all", () => {
    const repo = history();
    rmSync(join(repo.dir, "envs"), { recursive: true });
    expect(gitReader("HEAD")(join(repo.dir, "envs", "staging.yaml"))).toBe(ENV_V2);
  });

  it("says so when the ref does not exist", () => {
    const repo = history();
    const result = loadAt(join(repo.dir, "envs", "staging.yaml"), "no-such-branch");
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `${join(repo.dir, "envs", "staging.yaml")}: unknown git ref "no-such-branch" in ${repo.dir}`,
    ]);
  });

  it("says so when the file did not exist at the ref", () => {
    const repo = history();
    repo.commit({ "envs/prod.yaml": ENV_V1 }, "third");
    expect(() => gitReader("HEAD~1")(join(repo.dir, "envs", "prod.yaml"))).toThrow(
      "envs/prod.yaml does not exist at HEAD~1",
    );
  });

  it("says so when the file is not in a git repository", () => {
    const dir = mkdtempSync(join(tmpdir(), "parity-nogit-"));
    expect(() => gitReader("HEAD")(join(dir, "staging.yaml"))).toThrow(
      "not inside a git repository, so --ref HEAD cannot be read",
    );
  });
});
