import type { Value } from "../../../model/index.js";

export const ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

/** The whole `appEnv` block (a single kind). */
export const appEnvSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["path", "values"],
  properties: {
    path: {
      type: "string",
      pattern: "^(/[A-Za-z0-9_.-]+)+/?$",
      description: "a Parameter Store path like /app/staging/",
    },
    values: {
      type: "object",
      propertyNames: {
        pattern: ENV_NAME,
        description: "an environment variable name (letters, digits and _)",
      },
      additionalProperties: {
        // No oneOf: `required` and `properties` only apply to objects, so one schema reads well.
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
          },
        },
      },
    },
  },
};
