import { Type, directive, identity, replaces, specReader } from "../../../engine/schema.js";
import { DeliverySchema } from "./delivery/schema.js";
import type { Static } from "../../../engine/schema.js";

/** Each key of the block is one SSM parameter. */
export const TYPE = "appEnv";

export const ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

/** A parameter's name is its path and key: another path is another parameter. */
const Path = Type.String({
  pattern: "^(/[A-Za-z0-9_.-]+)+/?$",
  description: "a Parameter Store path like /app/staging/",
  ...identity,
  ...replaces,
});

export type SecretSpec = { secret: true; fromEnv: string };

// No oneOf: `required` and `properties` only apply to objects, so one schema reads well.
const ParameterValue = Type.Unsafe<string | number | boolean | SecretSpec>({
  type: ["string", "number", "boolean", "object"],
  description: "a value, or { secret: true, fromEnv: VARIABLE }",
  additionalProperties: false,
  required: ["secret", "fromEnv"],
  properties: {
    secret: { const: true },
    fromEnv: {
      type: "string",
      pattern: ENV_NAME,
      description: "the name of an environment variable that holds the value",
      ...directive,
    },
  },
});

/** The whole `appEnv` block (a single kind): the app's .env under one path. */
export const AppEnvSchema = Type.Object(
  {
    path: Path,
    values: Type.Unsafe<Record<string, Static<typeof ParameterValue>>>({
      type: "object",
      propertyNames: {
        pattern: ENV_NAME,
        description: "an environment variable name (letters, digits and _)",
      },
      additionalProperties: ParameterValue,
    }),
    deliver: Type.Optional(DeliverySchema),
  },
  { additionalProperties: false },
);

/** One node's spec: a key of the block, with the block's path (normalised by expand). */
export const ParameterSchema = Type.Object(
  {
    path: Path,
    key: Type.String({ pattern: ENV_NAME, ...identity }),
    value: ParameterValue,
  },
  { additionalProperties: false },
);

export type AppEnvSpec = Static<typeof AppEnvSchema>;
export type ParameterSpec = Static<typeof ParameterSchema>;

export const appEnvSpec = specReader(AppEnvSchema);
export const parameterSpec = specReader(ParameterSchema);
