import { describe, expect, it } from "vitest";
import { report, verdicts } from "../../bench/report.js";
import type { Measurements, Row } from "../../bench/report.js";

const calls = (total: number) => ({ total, byAction: { "ec2:DescribeInstances": total } });
const steady = (tool: Row["tool"], size: number, seconds: number, total: number): Row => ({
  tool,
  size,
  phase: "steady plan",
  seconds,
  calls: calls(total),
});

const measured: Measurements = {
  sizes: [10, 200],
  startup: [
    { what: "node -e 0", seconds: 0.1 },
    { what: "parity --help", seconds: 0.12 },
    { what: "parity validate", seconds: 0.35 },
  ],
  rows: [
    steady("parity", 10, 1.0, 18),
    steady("parity", 200, 1.1, 19),
    steady("terraform", 200, 30, 2300),
    { tool: "parity", size: 200, phase: "cold plan", seconds: 1, calls: calls(14), changes: 100 },
    {
      tool: "parity",
      size: 200,
      phase: "apply",
      seconds: 9,
      calls: { total: 350, byAction: {} },
      split: { reads: 150, changes: 200 },
    },
    {
      ...steady("parity", 200, 2, 19),
      phase: "steady plan, 100 ms/call",
      sequence: { depth: 4, chain: ["a:A", "b:B", "c:C", "d:D"] },
    },
  ],
  crowded: { size: 200, empty: calls(19), crowded: calls(21), seconds: 1.3 },
};

describe("the bench's verdicts", () => {
  it("judges each target from the rows alone", () => {
    expect(verdicts(measured).map((v) => `${v.verdict}: ${v.target}: ${v.figure}`)).toEqual([
      "met: steady plan at N = 200 at least 20× faster than Terraform: 27.3× (1.10 s against 30.00 s)",
      "met: `parity --help` within 0.2 s of `node -e 0`: 0.120 s against 0.100 s (+0.020 s)",
      "not met: `parity validate` within 0.2 s of `node -e 0`: 0.350 s against 0.100 s (+0.250 s)",
      "met: steady plan grows less than 20 % from N = 10 to N = 200 (time): 1.00 s → 1.10 s (+10 %)",
      "met: steady plan grows less than 20 % from N = 10 to N = 200 (calls): 18 → 19 (+6 %)",
      "met: at most 20 calls for a steady plan at every N: 18 at N = 10, 19 at N = 200",
      "not met: a crowded account plans with the calls of an empty one: 21 calls against 19 at N = 200",
      "not met: at most 3 round trips in sequence: 4 (steady plan, 100 ms/call, N = 200)",
      "met: apply at N = 200: at most 2 reads per resource created: 1.50",
    ]);
  });

  it("says what was not measured instead of judging it", () => {
    const parityOnly: Measurements = {
      sizes: [10],
      startup: [],
      rows: [steady("parity", 10, 1, 25)],
      terraformSkipped: "--no-terraform",
    };
    const unmeasured = verdicts(parityOnly).filter((v) => v.verdict === "not measured");
    expect(unmeasured.map((v) => v.figure)).toEqual([
      "Terraform not run (--no-terraform)",
      "start-up not measured",
      "start-up not measured",
      "needs two sizes",
      "needs two sizes",
      "crowded account not run",
      "no run with latency",
      "no apply",
    ]);
    expect(report(parityOnly, "none")).toContain(
      "at most 20 calls for a steady plan at every N: 25 at N = 10 — **not met**",
    );
  });
});
