import { GAPS } from "../model/index.js";
import type { Value } from "../model/index.js";

type Schema = { [key: string]: Value };

const side: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "file", "environment", "region", "changes"],
  properties: {
    name: { type: "string", minLength: 1, description: "how the comparison names this side" },
    file: { type: "string", minLength: 1 },
    environment: { type: "string", minLength: 1 },
    region: { type: "string", minLength: 1 },
    changes: {
      type: "integer",
      minimum: 0,
      description: "changes `parity plan FILE` shows for this side; 0: the live account matches its file",
    },
  },
};

const row: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["address", "kind", "group", "gap", "fix"],
  properties: {
    address: { type: "string", minLength: 1 },
    kind: { type: "string", minLength: 1, description: "the file's top-level key" },
    group: { type: "string", minLength: 1, description: "the file's entry the address belongs to" },
    path: { type: "string", minLength: 1, description: "the attribute; absent: the whole resource" },
    gap: { enum: [...GAPS] },
    a: { description: "A's value: references as addresses, secrets as (secret); absent: unset" },
    b: { description: "B's value, read the same way" },
    fix: { type: "string", minLength: 1, description: "which file to change or apply to close the gap" },
    expected: {
      type: "object",
      additionalProperties: false,
      required: ["reason", "file", "entry"],
      properties: {
        reason: { type: "string" },
        file: { type: "string", description: "the file whose expectedDifferences declares it" },
        entry: { type: "string", description: "the entry's path" },
      },
    },
    ignored: {
      type: "object",
      additionalProperties: false,
      required: ["file", "entry"],
      properties: {
        file: { type: "string", description: "the file whose ignoreChanges leaves it to another writer" },
        entry: { type: "string", description: "the entry and the path it ignores" },
      },
    },
  },
};

/** JSON Schema of `parity compare --json` (schemas/compare.schema.json). */
export function compareSchema(): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://github.com/parity-tool/parity/schemas/compare.schema.json",
    title: "parity comparison",
    type: "object",
    additionalProperties: false,
    required: ["formatVersion", "a", "b", "rows", "expected", "summary"],
    properties: {
      formatVersion: { const: 1 },
      a: side,
      b: side,
      rows: { type: "array", items: row, description: "the gaps that count, grouped by kind" },
      expected: { type: "array", items: row, description: "declared in expectedDifferences; not counted" },
      ignored: {
        type: "array",
        items: row,
        description: "left to another writer by ignoreChanges; not compared",
      },
      summary: {
        type: "object",
        additionalProperties: false,
        required: ["differences", "resources", "expected"],
        properties: {
          differences: { type: "integer", minimum: 0 },
          resources: { type: "integer", minimum: 0, description: "distinct entries with a difference" },
          expected: { type: "integer", minimum: 0 },
          ignored: { type: "integer", minimum: 0 },
        },
      },
    },
  };
}
