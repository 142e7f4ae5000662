import type { KindProblem } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { CERTIFICATE_REGION } from "./canonical.js";
import { distributionSpec } from "./schema.js";
import type { BehaviorSpec } from "./schema.js";

function behaviorProblems(b: BehaviorSpec, path: (string | number)[], origins: string[]): KindProblem[] {
  const out: KindProblem[] = [];
  if (!origins.includes(b.origin)) {
    out.push({
      path: [...path, "origin"],
      message: `"${b.origin}" is not one of this distribution's origins`,
      hint: origins.length ? `one of: ${origins.join(", ")}` : "add it under origins",
    });
  }
  if (b.forwardHeaders !== undefined && b.cachePolicyId !== undefined) {
    out.push({
      path: [...path, "forwardHeaders"],
      message: "set either forwardHeaders or cachePolicyId, not both",
      hint: "with a cache policy, forward headers with an originRequestPolicyId",
    });
  }
  return out;
}

/** What the schema cannot say: behaviours name real origins, paths are unique, the certificate suits CloudFront. */
export function checkDistribution(_address: string, value: { [key: string]: Value }): KindProblem[] {
  const s = distributionSpec({ spec: value });
  const origins = Object.keys(s.origins ?? {});
  const problems = behaviorProblems(s.defaultBehavior, ["defaultBehavior"], origins);
  const seen = new Set<string>();
  (s.behaviors ?? []).forEach((b, i) => {
    problems.push(...behaviorProblems(b, ["behaviors", i], origins));
    if (seen.has(b.path ?? ""))
      problems.push({ path: ["behaviors", i, "path"], message: `duplicate path pattern ${b.path}` });
    seen.add(b.path ?? "");
  });
  const arn = typeof s.certificate === "string" ? s.certificate : s.certificate?.arn;
  const region = arn?.split(":")[3];
  if (region && region !== CERTIFICATE_REGION) {
    problems.push({
      path: ["certificate"],
      message: `CloudFront only uses certificates from ${CERTIFICATE_REGION}; this one is in ${region}`,
      hint: `request or import the certificate in ${CERTIFICATE_REGION}, or use { domain: … } to look it up there`,
    });
  }
  if ((s.aliases ?? []).length > 0 && s.certificate === undefined) {
    problems.push({
      path: ["aliases"],
      message: "aliases need a certificate that covers them",
      hint: 'add certificate: { domain: "*.example.com" }',
    });
  }
  return problems;
}
