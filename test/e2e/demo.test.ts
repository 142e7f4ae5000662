import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";

const SECRET = "postgres://khorium:demo-t3st-secret@db:5432/khorium";

describe("parity demo khorium", () => {
  it("shows the .env delivery in the plan and the apply, then runs the checks the emulator can answer", async () => {
    // The demo starts an emulator of its own; the endpoint given here is never called.
    const run = await parity(["demo", "khorium"], {
      endpoint: "http://127.0.0.1:9",
      env: { STAGING_DATABASE_URL: SECRET },
    });
    const out = run.stdout + run.stderr;
    expect(run.code, out).toBe(0);
    expect(out).toContain("# appEnv.deliver will be updated in-place  [downtime]");
    expect(out).toMatch(
      /! deliver \/home\/ec2-user\/backend\/backend\/\.env \(owner ec2-user, mode 0600\) to i-[0-9a-f]+ through SSM Run Command, then run `sudo systemctl restart gunicorn`/,
    );
    expect(out).toMatch(/appEnv\.deliver: i-[0-9a-f]+: delivered/);
    expect(out).toContain("$ parity check khorium/staging.yaml");
    expect(out).toContain(
      "skipped api health: needs app.khorium.ai to answer, and the emulator serves no traffic",
    );
    expect(out).toMatch(
      /✓ cutover: Route53 zone khorium\.ai: app\.khorium\.ai → A alias \w+\.cloudfront\.net/,
    );
    expect(out).not.toContain("demo-t3st-secret");
  });
});
