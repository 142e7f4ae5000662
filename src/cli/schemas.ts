import { join } from "node:path";
import { environmentSchema } from "../config/index.js";
import { documented } from "../engine/schema.js";
import { awsProvider } from "../providers/aws/index.js";
import { compareSchema } from "../render/compareSchema.js";
import { planSchema } from "../render/planSchema.js";
import { packageRoot } from "./paths.js";

/**
 * The published JSON Schemas, generated from the code (`npm run schema`), with their paths:
 * the environment file's (from the registered kinds), the plan's and the comparison's.
 */
export function schemaFiles(root = packageRoot()): { path: string; text: string }[] {
  const text = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
  return [
    {
      path: join(root, "schemas", "environment.schema.json"),
      // Each attribute's default and replacement rule, for editors, from the kinds' annotations.
      text: text(documented(environmentSchema(awsProvider.kinds, awsProvider.checks))),
    },
    { path: join(root, "schemas", "plan.schema.json"), text: text(planSchema()) },
    { path: join(root, "schemas", "compare.schema.json"), text: text(compareSchema()) },
  ];
}
