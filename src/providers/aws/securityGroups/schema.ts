import type { Value } from "../../../model/index.js";

export const securityGroupSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 255 },
    description: { type: "string", maxLength: 255 },
    vpc: { type: "string", pattern: "^vpc-[0-9a-f]+$" },
    protect: { type: "boolean" },
    tags: { type: "object", additionalProperties: { type: "string" } },
    ingress: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["port"],
        properties: {
          port: { type: "integer", minimum: 0, maximum: 65535 },
          toPort: { type: "integer", minimum: 0, maximum: 65535 },
          protocol: { enum: ["tcp", "udp", "icmp", "all"] },
          cidr: { type: "string", pattern: "^[0-9.]+(/[0-9]{1,2})?$" },
          source: { type: "string", pattern: "^securityGroups\\.[A-Za-z0-9_-]+$" },
          description: { type: "string" },
        },
        oneOf: [{ required: ["cidr"] }, { required: ["source"] }],
      },
    },
  },
};
