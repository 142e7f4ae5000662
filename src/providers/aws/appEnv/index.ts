import { parameterExporter } from "./export.js";
import { corsCoverage } from "./wiring.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { checkSecrets, desiredParameter, expandKeys } from "./desired.js";
import { observeParameters } from "./observe.js";
import { adoptParameter, createParameter, deleteParameter, updateParameter } from "./operations.js";
import { AppEnvSchema, ParameterSchema, TYPE, parameterSpec } from "./schema.js";
import { parameterName } from "./values.js";
import { owned } from "../common/owned.js";
import { parameterTagger } from "./tagging.js";
import { deliveryType } from "./delivery/index.js";

export const parameterType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: ParameterSchema,

  notes(change, observed) {
    if (change.action !== "delete") return [];
    const path = String(observed?.details?.path ?? "");
    switch (observed?.details?.origin) {
      case "untracked":
        return [`not in the file, and under the managed path ${path}`];
      case "outside":
        return [`left under ${path}, outside the current appEnv.path`];
      default:
        return [`under the managed path ${path}`];
    }
  },

  plannedOutputs: (node) => ({ name: parameterName(parameterSpec(node)) }),
  // A new value is a new version, AWS's to number: a delivery's digest waits for it.
  outputsAfter: (change, live) => {
    if (!change.attributes.some((a) => a.path === "value" || a.path === "type")) return live;
    const { version: _next, ...kept } = live;
    return kept;
  },
  desired: desiredParameter,
  observe: observeParameters,
  create: createParameter,
  update: updateParameter,
  adopt: adoptParameter,
  delete: deleteParameter,
  exporter: parameterExporter,
};

export const appEnv: Kind<AwsContext> = {
  key: TYPE,
  shape: "single",
  schema: AppEnvSchema,
  outputs: [],
  expand: expandKeys,
  types: [owned(parameterType, () => parameterTagger), deliveryType],
  check: checkSecrets,
  wiring: [corsCoverage],
};
