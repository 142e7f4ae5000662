import type { KindProblem } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { cidrProblem } from "../common/cidr.js";
import { groupSpec } from "./schema.js";

/** What EC2 would refuse half-way through an apply and the schema cannot say. */
export function checkGroup(_address: string, spec: { [key: string]: Value }): KindProblem[] {
  const s = groupSpec({ spec });
  const problems: KindProblem[] = [];
  if (s.name.startsWith("sg-")) {
    problems.push({
      path: ["name"],
      message: `"${s.name}" starts with "sg-", which EC2 reserves for security group ids`,
    });
  }
  for (const direction of ["ingress", "egress"] as const) {
    (s[direction] ?? []).forEach((rule, i) => {
      const bad = rule.cidr === undefined ? undefined : cidrProblem(rule.cidr);
      if (bad) problems.push({ path: [direction, i, "cidr"], ...bad });
      if (rule.toPort !== undefined && rule.toPort < rule.port) {
        problems.push({
          path: [direction, i, "toPort"],
          message: `toPort ${rule.toPort} is below port ${rule.port}`,
          hint: "a range runs from port up to toPort",
        });
      }
    });
  }
  return problems;
}
