import { DependsOn, IgnoreChanges, Type } from "../engine/schema.js";
import type { TSchema } from "../engine/schema.js";
import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";

export type KindSchema = { key: string; shape: "map" | "single"; schema: TSchema };

const NAME = "^[A-Za-z][A-Za-z0-9_-]*$";

/** Directives every map entry takes, whatever its kind; the engine reads them itself. */
const ENTRY_DIRECTIVES: { [key: string]: TSchema } = {
  protect: { type: "boolean" },
  replaceUnmanaged: {
    type: "boolean",
    description:
      "Allow the plan to replace the resource this entry adopts although parity did not create it " +
      "(destroying the hand-made one). Without it, such a replacement is refused at plan time.",
  },
};

/** What every entry takes, map or single: the engine reads them itself (config/directives.ts). */
const ORDER_DIRECTIVES: { [key: string]: TSchema } = { ignoreChanges: IgnoreChanges, dependsOn: DependsOn };

function withDirectives(schema: TSchema, directives: { [key: string]: TSchema }): TSchema {
  const properties = (schema as { properties?: Value }).properties;
  if (!isPlainObject(properties)) return schema;
  const missing = Object.entries(directives).filter(([key]) => !(key in properties));
  if (missing.length === 0) return schema;
  return { ...schema, properties: { ...properties, ...Object.fromEntries(missing) } };
}

/** Intended differences from another environment, for `parity compare` (engine/comparison.ts). */
const EXPECTED_DIFFERENCES: TSchema = {
  type: "array",
  description: "differences from the environment this one is compared with that are intended",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["path", "reason"],
    properties: {
      path: {
        type: "string",
        pattern: "^[A-Za-z][A-Za-z0-9_-]*([.[][A-Za-z0-9_*./:-]*\\]?)*$",
        description: "an address (`distributions.site`) or an attribute in one (`instances.web.type`)",
      },
      reason: { type: "string", minLength: 1, description: "why the environments differ here" },
    },
  },
};

/** An address as plans print it: `instances.web`, `instances.web[0]`, `loadBalancers.web.listeners[80]`. */
const Address = Type.String({
  pattern: "^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9_-]+|\\[[^\\]]+\\])+$",
  description: "an address like `instances.web`, `instances.web[0]` or `loadBalancers.web.listeners[80]`",
});

/** `moved: [{ from, to }]`: a renamed key whose live resource is re-tagged, not replaced. */
const MOVED = Type.Array(Type.Object({ from: Address, to: Address }, { additionalProperties: false }), {
  description:
    "Renamed entries: the live resource recorded at `from` is the file's `to`, re-tagged there instead of destroyed and created again",
});

/** The environment file's JSON Schema, assembled from the registered kinds. */
export function environmentSchema(kinds: KindSchema[], checks: TSchema): TSchema {
  const kindProperties: { [key: string]: TSchema } = {};
  for (const kind of kinds) {
    kindProperties[kind.key] =
      kind.shape === "map"
        ? {
            type: "object",
            propertyNames: { pattern: NAME, description: "a name of letters, digits, _ and -" },
            additionalProperties: withDirectives(kind.schema, { ...ENTRY_DIRECTIVES, ...ORDER_DIRECTIVES }),
          }
        : withDirectives(kind.schema, ORDER_DIRECTIVES);
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://github.com/parity-tool/parity/schemas/environment.schema.json",
    title: "parity environment",
    type: "object",
    additionalProperties: false,
    required: ["environment"],
    properties: {
      // It lands in every resource's tags, the lock's parameter name and DNS ownership records; the
      // tightest is the TXT record (255 characters) that holds it beside the project and an address.
      environment: {
        type: "string",
        pattern: NAME,
        maxLength: 64,
        description: "an environment name of letters, digits, _ and -, at most 64 characters",
      },
      project: {
        type: "string",
        pattern: NAME,
        maxLength: 64,
        description: "a project name of letters, digits, _ and -, at most 64 characters",
      },
      region: {
        type: "string",
        pattern: "^[a-z]{2}(-[a-z]+)+-\\d$",
        description: "an AWS region like us-west-1",
      },
      extends: {
        oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
      },
      profile: {
        type: "string",
        minLength: 1,
        description: "the AWS profile this environment's account is reached with (`--profile` wins)",
      },
      tags: { type: "object", additionalProperties: { type: "string" } },
      network: {
        type: "object",
        additionalProperties: false,
        properties: {
          vpc: {
            type: "string",
            pattern: "^(default|vpc-[0-9a-f]+)$",
            description: "`default` or a vpc-… id",
          },
          subnets: {
            description: "`default` or a list of subnet-… ids",
            oneOf: [
              { const: "default" },
              { type: "array", minItems: 1, items: { type: "string", pattern: "^subnet-[0-9a-f]+$" } },
            ],
          },
        },
      },
      ...kindProperties,
      checks: { type: "array", items: checks },
      expectedDifferences: EXPECTED_DIFFERENCES,
      moved: MOVED,
    },
  };
}
