import type { Value } from "../../../model/index.js";

/** S3's rules for general purpose bucket names (without the rarely relevant IP-address rule). */
export const BUCKET_NAME = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";

export const bucketSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: {
      type: "string",
      pattern: BUCKET_NAME,
      description: "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens",
    },
    website: {
      type: "object",
      additionalProperties: false,
      required: ["indexDocument"],
      properties: {
        indexDocument: {
          type: "string",
          pattern: "^[^/]+$",
          description: "a file name without slashes, like index.html",
        },
        errorDocument: { type: "string", minLength: 1 },
      },
    },
    tags: { type: "object", additionalProperties: { type: "string" } },
    copyFrom: {
      type: "string",
      pattern: `${BUCKET_NAME}|^buckets\\.[A-Za-z0-9_-]+$`,
      description: "the name of a bucket to copy objects from, or a reference like buckets.assets",
    },
    protect: { type: "boolean" },
  },
};
