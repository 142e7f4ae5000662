import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { schemaFiles } from "../../src/cli/schemas.js";

const ROOT = join(import.meta.dirname, "../..");
const planSchema = JSON.parse(readFileSync(join(ROOT, "schemas/plan.schema.json"), "utf8")) as object;

describe("published schemas", () => {
  it.each(schemaFiles(ROOT).map((f) => [f.path.slice(ROOT.length + 1), f] as const))(
    "%s is up to date (run `npm run schema`)",
    (name, file) => {
      const stale = readFileSync(file.path, "utf8") !== file.text;
      expect(stale, `${name} is stale: run npm run schema and commit the result`).toBe(false);
    },
  );

  it("accepts the golden --json plan and rejects a made-up action", () => {
    const validate = new Ajv().compile(planSchema);
    const plan = JSON.parse(readFileSync(join(ROOT, "test/fixtures/render/migration.json"), "utf8")) as {
      changes: { action: string }[];
    };
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    (plan.changes[0] as { action: string }).action = "recreate";
    expect(validate(plan)).toBe(false);
  });
});
