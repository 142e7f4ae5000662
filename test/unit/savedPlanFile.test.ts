import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isSavedPlanFile, readSavedPlan } from "../../src/cli/savedPlan.js";
import { computePlan } from "../../src/engine/plan.js";
import { savePlan } from "../../src/engine/savedPlan.js";
import { configurationOf, ENV, fakeType, node } from "./fakes.js";

const dir = mkdtempSync(join(tmpdir(), "parity-plan-file-"));

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

const { plan, desired } = computePlan({
  env: ENV,
  nodes: [node("things.a", { name: "a" })],
  observed: [],
  facts: {},
  types: new Map([["things", fakeType("things")]]),
});
const saved = savePlan({
  plan,
  desired,
  observed: [],
  facts: {},
  configuration: configurationOf("staging.yaml", [node("things.a", { name: "a" })]),
  document: { environment: "staging" },
  createdAt: new Date(0),
});

describe("saved plan files", () => {
  it("are told apart from environment files by their content", () => {
    expect(isSavedPlanFile(write("plan.json", saved))).toBe(true);
    expect(isSavedPlanFile(write("env.yaml", "environment: staging\n"))).toBe(false);
    expect(isSavedPlanFile(join(dir, "missing.json"))).toBe(false);
  });

  it("read back as saved", () => {
    expect(readSavedPlan(write("ok.json", saved)).saved).toEqual(JSON.parse(JSON.stringify(saved)));
  });

  it("refuse a hand-edited file rather than apply part of it", () => {
    const edited = { ...saved, plan: { ...saved.plan, changes: [{ address: "things.a", action: "nuke" }] } };
    expect(() => readSavedPlan(write("edited.json", edited))).toThrow(/not a valid saved plan/);
  });

  it("refuse `plan --json` output with a hint", () => {
    const path = write("json.json", plan);
    expect(isSavedPlanFile(path)).toBe(true);
    expect(() => readSavedPlan(path)).toThrow(/only describes a plan/);
  });
});
