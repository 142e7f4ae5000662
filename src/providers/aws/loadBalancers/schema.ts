import type { Value } from "../../../model/index.js";

const listenerSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["port", "protocol"],
  properties: {
    port: { type: "integer", minimum: 1, maximum: 65535 },
    protocol: { enum: ["HTTP", "HTTPS"] },
    certificate: {
      oneOf: [
        {
          type: "string",
          pattern: "^arn:aws[a-z-]*:acm:",
          description: "an ACM certificate ARN or { domain: … }",
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["domain"],
          properties: { domain: { type: "string", minLength: 1 } },
        },
      ],
    },
    sslPolicy: { type: "string", minLength: 1 },
    forward: {
      type: "string",
      pattern: "^targetGroups\\.[A-Za-z0-9_-]+$",
      description: "a reference like targetGroups.web",
    },
    redirect: {
      type: "object",
      additionalProperties: false,
      required: ["protocol", "port"],
      properties: {
        protocol: { enum: ["HTTP", "HTTPS"] },
        port: { type: "integer", minimum: 1, maximum: 65535 },
        statusCode: { enum: [301, 302, "HTTP_301", "HTTP_302"] },
      },
    },
  },
};

export const loadBalancerSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: {
      type: "string",
      // AWS: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen.
      pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$",
      description: "1-32 letters, digits and hyphens, not starting or ending with a hyphen",
    },
    scheme: { enum: ["internet-facing", "internal"] },
    subnets: {
      type: "array",
      minItems: 2,
      items: { type: "string", pattern: "^subnet-[0-9a-f]+$", description: "a subnet-… id" },
    },
    securityGroups: {
      type: "array",
      items: {
        type: "string",
        pattern: "^(securityGroups\\.[A-Za-z0-9_-]+|sg-[0-9a-f]+)$",
        description: "a reference like securityGroups.alb, or an sg-… id",
      },
    },
    idleTimeoutSeconds: { type: "integer", minimum: 1, maximum: 4000 },
    crossZone: { type: "boolean" },
    listeners: { type: "array", items: listenerSchema },
    protect: { type: "boolean" },
    tags: { type: "object", additionalProperties: { type: "string" } },
  },
};
