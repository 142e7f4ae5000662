import type { Value } from "../../../model/index.js";

const HOST = "^(\\*\\.)?([A-Za-z0-9-]+\\.)+[A-Za-z0-9-]+\\.?$";
const POLICY_ID = { type: "string", pattern: "^[0-9A-Fa-f-]{36}$", description: "a policy id (a UUID)" };

function behaviorSchema(extra: { [key: string]: Value }, required: string[]): { [key: string]: Value } {
  return {
    type: "object",
    additionalProperties: false,
    required,
    properties: {
      ...extra,
      origin: { type: "string", minLength: 1 },
      viewerProtocol: { enum: ["allow-all", "redirect-to-https", "https-only"] },
      allowedMethods: { enum: ["get-head", "get-head-options", "all"] },
      forwardHeaders: {
        type: "array",
        items: {
          type: "string",
          pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$",
          description: "an HTTP header name",
        },
      },
      cachePolicyId: POLICY_ID,
      originRequestPolicyId: POLICY_ID,
      compress: { type: "boolean" },
    },
  };
}

export const distributionSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["origins", "defaultBehavior"],
  properties: {
    aliases: {
      type: "array",
      items: { type: "string", pattern: HOST, description: "a domain name like app.example.com" },
    },
    certificate: {
      oneOf: [
        {
          type: "string",
          pattern: "^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/.+$",
          description: "an ACM certificate ARN",
        },
        {
          type: "object",
          additionalProperties: false,
          properties: {
            domain: { type: "string", pattern: HOST, description: "a domain name like *.example.com" },
            arn: {
              type: "string",
              pattern: "^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/.+$",
              description: "an ACM certificate ARN",
            },
            minimumProtocolVersion: {
              enum: [
                "TLSv1",
                "TLSv1_2016",
                "TLSv1.1_2016",
                "TLSv1.2_2018",
                "TLSv1.2_2019",
                "TLSv1.2_2021",
                "TLSv1.2_2025",
                "TLSv1.3_2025",
              ],
            },
          },
          oneOf: [{ required: ["domain"] }, { required: ["arn"] }],
        },
      ],
    },
    origins: {
      type: "object",
      minProperties: 1,
      propertyNames: {
        pattern: "^[A-Za-z0-9_.-]+$",
        description: "an origin id of letters, digits, _, . and -",
      },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["domain", "protocol"],
        properties: {
          domain: { type: "string", minLength: 1 },
          protocol: { enum: ["http-only", "https-only", "match-viewer"] },
          httpPort: { type: "integer", minimum: 1, maximum: 65535 },
          httpsPort: { type: "integer", minimum: 1, maximum: 65535 },
        },
      },
    },
    defaultBehavior: behaviorSchema({}, ["origin"]),
    behaviors: {
      type: "array",
      items: behaviorSchema({ path: { type: "string", minLength: 1 } }, ["path", "origin"]),
    },
    enabled: { type: "boolean" },
    comment: { type: "string", maxLength: 128 },
    priceClass: { enum: ["PriceClass_100", "PriceClass_200", "PriceClass_All"] },
    protect: { type: "boolean" },
    tags: { type: "object", additionalProperties: { type: "string" } },
  },
};
