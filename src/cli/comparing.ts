import { compareEnvironments, unknownExpectations } from "../engine/comparison.js";
import type { ComparedEnvironment, ExpectedDifference } from "../engine/comparison.js";
import type { ShapeRules } from "../engine/shape.js";
import { typesOf } from "../engine/discover.js";
import type { Comparison, Diagnostic } from "../model/index.js";
import { isPlainObject, locate } from "../model/index.js";
import { awsProvider } from "../providers/aws/index.js";
import type { Loaded, PlanSession } from "./workflow.js";

/** The file's `expectedDifferences`, as the schema validated them. */
export function expectedDifferencesOf(loaded: Loaded): ExpectedDifference[] {
  const list = loaded.text?.document.expectedDifferences;
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((e) => ({ path: String(e.path), reason: String(e.reason) }));
}

/** The profile a side is read with: the command line's, else the file's `profile:`. */
export function profileOf(loaded: Loaded, fromFlag: string | undefined): string | undefined {
  const fromFile = loaded.text?.document.profile;
  return fromFlag ?? (typeof fromFile === "string" ? fromFile : undefined);
}

/** One planned side, as the pure comparison reads it. */
export function comparedEnvironment(file: string, session: PlanSession): ComparedEnvironment {
  return {
    file,
    environment: session.info.environment,
    region: session.info.region,
    declared: session.environment.nodes,
    observed: session.observed,
    plan: session.plan,
    expectedDifferences: expectedDifferencesOf(session),
  };
}

/** An `expectedDifferences` entry naming nothing either environment has, placed at its line. */
export function unknownExpectationErrors(sides: ComparedEnvironment[], loaded: Loaded[]): Diagnostic[] {
  return sides.flatMap((side, s) =>
    unknownExpectations(side.expectedDifferences, sides).map((i): Diagnostic => {
      const path = ["expectedDifferences", i, "path"];
      const location = loaded[s]?.text ? locate(loaded[s].text.locations, path) : undefined;
      return {
        severity: "error",
        ...(location ? { location } : {}),
        path: `expectedDifferences[${i}].path`,
        message: `${side.expectedDifferences[i]?.path ?? ""} names no resource of ${sides.map((x) => x.file).join(" or ")}`,
        hint: "use an address like instances.web, or an attribute in one like instances.web.type",
      };
    }),
  );
}

export function compareSessions(a: ComparedEnvironment, b: ComparedEnvironment): Comparison {
  const types = [...typesOf(awsProvider).values()];
  // Roles outside the spec (ownership, protection) hold for every type: a load balancer's observe
  // also records them on its listeners.
  const shared = Object.assign(
    {},
    ...types.map((t) => t.attributeRoles ?? {}),
  ) as ShapeRules["attributeRoles"];
  const rules = new Map(
    types.map((t) => [t.type, { schema: t.schema, attributeRoles: { ...shared, ...t.attributeRoles } }]),
  );
  return compareEnvironments({ a, b, rules, kindOrder: awsProvider.kinds.map((k) => k.key) });
}
