import { describe, expect, it } from "vitest";
import { lockedMessage, lockHolder } from "../../src/engine/lock.js";

const AT = {
  user: "alice",
  host: "laptop",
  cwd: "/home/alice/infra",
  now: new Date("2026-11-22T10:00:00.123Z"),
};

describe("apply lock holder", () => {
  it("names the user, host, directory and time", () => {
    expect(lockHolder({}, AT, "1a2b3c4d")).toEqual({
      who: "alice@laptop",
      where: "/home/alice/infra",
      since: "2026-11-22T10:00:00Z",
      planDigest: "1a2b3c4d",
    });
  });

  it("names the CI run when GitHub Actions runs it", () => {
    const env = {
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_RUN_ID: "42",
    };
    expect(lockHolder(env, AT, "x").where).toBe("https://github.com/acme/infra/actions/runs/42");
  });

  it("says how to recover from a dead run", () => {
    expect(lockedMessage("staging/us-west-1", lockHolder({}, AT, "1a2b3c4d5e"), "staging.yaml")).toBe(
      "staging/us-west-1 is locked by alice@laptop since 2026-11-22T10:00:00Z (plan 1a2b3c…, /home/alice/infra); if that run is dead: parity unlock staging.yaml --force",
    );
  });
});
