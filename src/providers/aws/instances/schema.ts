import type { Value } from "../../../model/index.js";

const INSTANCE_ID = {
  type: "string",
  pattern: "^i-[0-9a-f]{8,17}$",
  description: "an instance id like i-0a1b2c3d4e5f60718",
};

const IMAGE_FORMS = "an AMI id (ami-…), { fromInstance: i-… } or { name: pattern }";

export const instanceSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["type", "image"],
  properties: {
    count: { type: "integer", minimum: 0, maximum: 100 },
    type: {
      type: "string",
      pattern: "^[a-z0-9-]+\\.[a-z0-9]+$",
      description: "an instance type like t3.micro",
    },
    // if/then/else rather than oneOf, so a mistake reads as one clear sentence, not "no allowed form".
    image: {
      if: { type: "string" },
      then: { type: "string", pattern: "^ami-[0-9a-f]{8,17}$", description: IMAGE_FORMS },
      else: {
        type: "object",
        description: IMAGE_FORMS,
        additionalProperties: false,
        properties: {
          fromInstance: INSTANCE_ID,
          // CreateImage reboots the instance by default so the file system is consistent.
          noReboot: { type: "boolean" },
          name: {
            type: "string",
            minLength: 1,
            description: "an AMI name pattern like amzn2-ami-hvm-*-x86_64-gp2",
          },
          owners: {
            type: "array",
            minItems: 1,
            items: {
              type: "string",
              pattern: "^(self|amazon|aws-marketplace|[0-9]{12})$",
              description: "self, amazon, aws-marketplace or an account id",
            },
          },
        },
        // Only once it is a map: otherwise `5` would also get "must set exactly one of…".
        if: { type: "object" },
        then: { oneOf: [{ required: ["fromInstance"] }, { required: ["name"] }] },
      },
    },
    keyName: { type: "string", minLength: 1, maxLength: 255 },
    securityGroups: {
      type: "array",
      items: {
        type: "string",
        pattern: "^(securityGroups\\.[A-Za-z0-9_-]+|sg-[0-9a-f]+)$",
        description: "a reference like securityGroups.app, or an sg-… id",
      },
    },
    subnets: {
      type: "array",
      minItems: 1,
      items: {
        type: "string",
        pattern: "^subnet-[0-9a-f]+$",
        description: "a subnet id like subnet-0123abcd",
      },
    },
    tags: { type: "object", additionalProperties: { type: "string" } },
    adopt: { type: "array", items: INSTANCE_ID },
    snapshotBeforeChange: { type: "boolean" },
    protect: { type: "boolean" },
  },
};
