import type { Value } from "../../../model/index.js";

const INSTANCE_GROUP = {
  type: "string",
  pattern: "^instances\\.[A-Za-z0-9_-]+$",
  description: "a reference like instances.web",
};

export const targetGroupSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["name", "port"],
  properties: {
    name: {
      type: "string",
      // AWS: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen.
      pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$",
      description: "1-32 letters, digits and hyphens, not starting or ending with a hyphen",
    },
    port: { type: "integer", minimum: 1, maximum: 65535 },
    protocol: { enum: ["HTTP", "HTTPS"] },
    vpc: { type: "string", pattern: "^vpc-[0-9a-f]+$", description: "a vpc-… id" },
    healthCheck: {
      type: "object",
      additionalProperties: false,
      properties: {
        path: { type: "string", pattern: "^/", description: "a path starting with /" },
        intervalSeconds: { type: "integer", minimum: 5, maximum: 300 },
        timeoutSeconds: { type: "integer", minimum: 2, maximum: 120 },
        healthyThreshold: { type: "integer", minimum: 2, maximum: 10 },
        unhealthyThreshold: { type: "integer", minimum: 2, maximum: 10 },
        matcher: {
          type: ["string", "integer"],
          pattern: "^\\s*[0-9]{3}(\\s*-\\s*[0-9]{3})?(\\s*,\\s*[0-9]{3}(\\s*-\\s*[0-9]{3})?)*\\s*$",
          description: 'HTTP codes like "200", "200-299" or "200,302"',
        },
      },
    },
    stickiness: {
      oneOf: [
        { const: false },
        {
          type: "object",
          additionalProperties: false,
          required: ["type"],
          properties: {
            type: { const: "lb_cookie" },
            durationSeconds: { type: "integer", minimum: 1, maximum: 604800 },
          },
        },
      ],
    },
    deregistrationDelaySeconds: { type: "integer", minimum: 0, maximum: 3600 },
    targets: { oneOf: [INSTANCE_GROUP, { type: "array", items: INSTANCE_GROUP }] },
    protect: { type: "boolean" },
    tags: { type: "object", additionalProperties: { type: "string" } },
  },
};
