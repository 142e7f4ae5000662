import { ACTIONS, RISKS } from "../model/index.js";
import type { Value } from "../model/index.js";
import { SAVED_PLAN_KIND } from "../model/savedPlan.js";

type Schema = { [key: string]: Value };

const SHA256 = { type: "string", pattern: "^[0-9a-f]{64}$" };

const definitions: Schema = {
  value: {
    description:
      'Any JSON value. {"$unknown": "…"} is known only after apply; {"$sensitive": true, "changed": bool} is a masked secret, with "from": "VAR" when its variable was not set while planning.',
  },
  attributes: {
    description: "Normalised attributes: only what the file sets is compared.",
    type: "object",
    additionalProperties: { $ref: "#/definitions/value" },
  },
  attributeChange: {
    type: "object",
    additionalProperties: false,
    required: ["path", "forcesReplacement", "sensitive"],
    properties: {
      path: { type: "string", minLength: 1, description: "dotted path, e.g. healthCheck.path" },
      before: { $ref: "#/definitions/value", description: "absent: not set in AWS" },
      after: { $ref: "#/definitions/value", description: "absent: the file removes it" },
      forcesReplacement: { type: "boolean" },
      sensitive: { type: "boolean" },
      deferred: { type: "boolean", description: "AWS applies it in the next maintenance window" },
    },
  },
  change: {
    type: "object",
    additionalProperties: false,
    required: [
      "address",
      "kind",
      "group",
      "action",
      "before",
      "after",
      "attributes",
      "dependsOn",
      "protected",
      "risks",
      "notes",
    ],
    properties: {
      address: { type: "string", minLength: 1 },
      kind: { type: "string", minLength: 1 },
      group: { type: "string", minLength: 1 },
      action: { enum: [...ACTIONS] },
      reason: { type: "string", description: "why this action; for display only" },
      id: { type: "string", description: "the live resource's id" },
      before: { oneOf: [{ type: "null" }, { $ref: "#/definitions/attributes" }] },
      after: { oneOf: [{ type: "null" }, { $ref: "#/definitions/attributes" }] },
      attributes: { type: "array", items: { $ref: "#/definitions/attributeChange" } },
      dependsOn: { type: "array", items: { type: "string" } },
      dependsOnRecorded: {
        type: "boolean",
        description: "a delete whose dependsOn the live resource recorded when parity wrote it",
      },
      movedFrom: {
        type: "string",
        minLength: 1,
        description:
          "a `moved` entry renamed it: the live resource recorded this address, and apply re-tags it at `address` (with action no-op, that is all apply does)",
      },
      protected: { type: "boolean" },
      risks: { type: "array", uniqueItems: true, items: { enum: [...RISKS] } },
      notes: { type: "array", items: { type: "string" } },
      expectedSeconds: { type: "number", minimum: 0 },
    },
  },
  location: {
    type: "object",
    additionalProperties: false,
    required: ["file", "line", "column"],
    properties: {
      file: { type: "string" },
      line: { type: "integer", minimum: 1 },
      column: { type: "integer", minimum: 1 },
    },
  },
  diagnostic: {
    type: "object",
    additionalProperties: false,
    required: ["severity", "message"],
    properties: {
      severity: { enum: ["error", "warning"] },
      location: { $ref: "#/definitions/location" },
      path: { type: "string" },
      message: { type: "string" },
      hint: { type: "string" },
    },
  },
  plan: {
    description: "The output of `parity plan --json` and `parity show PLAN --json`.",
    type: "object",
    additionalProperties: false,
    required: ["formatVersion", "environment", "region", "changes", "summary", "warnings"],
    properties: {
      formatVersion: { const: 1 },
      environment: { type: "string", minLength: 1 },
      region: { type: "string", minLength: 1 },
      changes: { type: "array", items: { $ref: "#/definitions/change" } },
      summary: {
        type: "object",
        additionalProperties: false,
        required: ["add", "change", "destroy", "replace", "adopt"],
        properties: Object.fromEntries(
          ["add", "change", "destroy", "replace", "adopt", "move"].map((k) => [
            k,
            { type: "integer", minimum: 0 },
          ]),
        ),
      },
      warnings: { type: "array", items: { $ref: "#/definitions/diagnostic" } },
    },
  },
  node: {
    description:
      "one resource as the file resolved it (its spec holds no secret value, only where to read it)",
    type: "object",
    additionalProperties: false,
    required: ["address", "type", "group", "spec", "dependsOn", "protect"],
    properties: {
      address: { type: "string", minLength: 1 },
      type: { type: "string", minLength: 1 },
      group: { type: "string", minLength: 1 },
      spec: { $ref: "#/definitions/attributes" },
      dependsOn: { type: "array", items: { type: "string" } },
      refersTo: { type: "array", items: { type: "string" } },
      protect: { type: "boolean" },
      replaceUnmanaged: { type: "boolean" },
      ignoreChanges: {
        type: "array",
        items: { type: "string" },
        description:
          'attribute paths never planned nor sent; "" is the whole resource, `count` its group\'s size',
      },
      location: { $ref: "#/definitions/location" },
      path: { type: "array", items: { type: ["string", "integer"] } },
    },
  },
  configuration: {
    description: "what apply needs from the environment file, so a saved plan applies without it",
    type: "object",
    additionalProperties: false,
    required: ["file", "environment", "region", "tags", "network", "nodes", "checks"],
    properties: {
      file: { type: "string", minLength: 1 },
      environment: { type: "string", minLength: 1 },
      project: { type: "string", minLength: 1 },
      region: { type: "string", minLength: 1 },
      tags: { type: "object", additionalProperties: { type: "string" } },
      network: {
        type: "object",
        additionalProperties: false,
        required: ["vpc", "subnets"],
        properties: {
          vpc: { type: "string" },
          subnets: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
        },
      },
      nodes: { type: "array", items: { $ref: "#/definitions/node" } },
      moves: {
        description: "the file's `moved` entries",
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["from", "to"],
          properties: {
            from: { type: "string", minLength: 1 },
            to: { type: "string", minLength: 1 },
            location: { $ref: "#/definitions/location" },
          },
        },
      },
      checks: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["name", "spec"],
          properties: {
            name: { type: "string" },
            spec: { $ref: "#/definitions/attributes" },
            location: { $ref: "#/definitions/location" },
          },
        },
      },
    },
  },
  savedPlan: {
    description: "A file written by `parity plan --out PLAN`; `parity apply PLAN` applies exactly this.",
    type: "object",
    additionalProperties: false,
    required: [
      "formatVersion",
      "kind",
      "environment",
      "region",
      "file",
      "configuration",
      "createdAt",
      "scope",
      "configDigest",
      "fingerprints",
      "observedAttributes",
      "observedOutputs",
      "facts",
      "plan",
    ],
    properties: {
      formatVersion: { const: 2 },
      kind: { const: SAVED_PLAN_KIND },
      environment: { type: "string", minLength: 1 },
      region: { type: "string", minLength: 1 },
      file: { type: "string", minLength: 1, description: "the environment file, relative to where plan ran" },
      configuration: { $ref: "#/definitions/configuration" },
      createdAt: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T", description: "ISO 8601 time" },
      scope: {
        description: "the --target and --exclude addresses the plan was narrowed by, and --replace's",
        type: "object",
        additionalProperties: false,
        required: ["targets", "excludes"],
        properties: {
          targets: { type: "array", items: { type: "string" } },
          excludes: { type: "array", items: { type: "string" } },
          replace: { type: "array", items: { type: "string" }, description: "--replace addresses" },
        },
      },
      configDigest: { ...SHA256, description: "sha256 of the merged document and the region" },
      fingerprints: {
        description: "sha256 of each observed resource the plan depends on; null: it did not exist",
        type: "object",
        additionalProperties: { oneOf: [{ type: "null" }, SHA256] },
      },
      observedAttributes: {
        type: "object",
        additionalProperties: { $ref: "#/definitions/attributes" },
      },
      observedOutputs: {
        type: "object",
        additionalProperties: { $ref: "#/definitions/attributes" },
      },
      facts: { type: "object", additionalProperties: SHA256 },
      plan: { $ref: "#/definitions/plan" },
    },
  },
};

/** JSON Schema of `--json` plans and of saved plan files (schemas/plan.schema.json). */
export function planSchema(): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://github.com/parity-tool/parity/schemas/plan.schema.json",
    title: "parity plan",
    oneOf: [{ $ref: "#/definitions/plan" }, { $ref: "#/definitions/savedPlan" }],
    definitions,
  };
}

/** The same schema rooted at the saved-plan wrapper, for checking a file before applying it. */
export function savedPlanSchema(): Schema {
  return { $schema: "http://json-schema.org/draft-07/schema#", $ref: "#/definitions/savedPlan", definitions };
}
