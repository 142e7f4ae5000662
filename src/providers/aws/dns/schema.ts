import type { Value } from "../../../model/index.js";

const NAME = "^(\\*\\.)?([A-Za-z0-9_-]+\\.)*[A-Za-z0-9-]+\\.?$";

export const RECORD_TYPES = [
  "A",
  "AAAA",
  "CNAME",
  "TXT",
  "MX",
  "NS",
  "SRV",
  "CAA",
  "PTR",
  "SPF",
  "NAPTR",
  "DS",
];

export const dnsSchema: { [key: string]: Value } = {
  type: "object",
  additionalProperties: false,
  required: ["zone", "records"],
  properties: {
    zone: { type: "string", pattern: NAME, description: "a domain name like example.com" },
    records: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "type"],
        properties: {
          name: { type: "string", pattern: NAME, description: "a full domain name like app.example.com" },
          type: { enum: RECORD_TYPES },
          alias: {
            oneOf: [
              {
                type: "string",
                pattern: "^(distributions|loadBalancers)\\.[A-Za-z0-9_-]+$",
                description: "a reference like distributions.site or loadBalancers.web",
              },
              {
                type: "object",
                additionalProperties: false,
                required: ["dnsName"],
                properties: {
                  dnsName: { type: "string", minLength: 1 },
                  hostedZoneId: {
                    type: "string",
                    pattern: "^Z[A-Z0-9]+$",
                    description: "a hosted zone id like Z2FDTNDATAQYW2",
                  },
                  evaluateTargetHealth: { type: "boolean" },
                },
              },
            ],
          },
          values: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
          ttl: { type: "integer", minimum: 0, maximum: 2147483647 },
        },
        oneOf: [{ required: ["alias"] }, { required: ["values"] }],
      },
    },
  },
};
