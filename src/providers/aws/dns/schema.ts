import { Type, identity, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";

/** The environment file's key: one block, a zone and its records. */
/** The resource type: one node per record. */
export const TYPE = "dns";

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
] as const;

const AliasTarget = Type.Object(
  {
    dnsName: Type.String({ minLength: 1, ...identity }),
    hostedZoneId: Type.Optional(
      Type.String({
        pattern: "^Z[A-Z0-9]+$",
        description: "a hosted zone id like Z2FDTNDATAQYW2",
        ...identity,
      }),
    ),
    evaluateTargetHealth: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

// `oneOf` rather than TypeBox's `anyOf`: a reference and a literal target are exclusive, and the
// config's messages read the `oneOf` errors.
const Alias = Type.Unsafe<string | Static<typeof AliasTarget>>({
  oneOf: [
    Type.String({
      pattern: "^(distributions|loadBalancers)\\.[A-Za-z0-9_-]+$",
      description: "a reference like distributions.site or loadBalancers.web",
    }),
    AliasTarget,
  ],
});

export const RecordSchema = Type.Object(
  {
    name: Type.String({ pattern: NAME, description: "a full domain name like app.example.com", ...identity }),
    type: Type.Enum(RECORD_TYPES),
    alias: Type.Optional(Alias),
    values: Type.Optional(
      Type.Array(
        Type.String({ minLength: 1, description: "a record value; ${kind.name.attribute} is filled in" }),
        {
          minItems: 1,
        },
      ),
    ),
    // Route53 asks for a TTL on every plain record; 300 is the console's.
    ttl: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, default: 300 })),
  },
  { additionalProperties: false, oneOf: [{ required: ["alias"] }, { required: ["values"] }] },
);

export const DnsSchema = Type.Object(
  {
    zone: Type.String({
      pattern: NAME,
      description:
        "a domain name like example.com; parity tags the hosted zone parity:records:<project>/<environment>/<region> when it writes a record there, so records left behind by a changed zone or a removed dns block are found and deleted",
      ...identity,
    }),
    records: Type.Array(RecordSchema),
  },
  { additionalProperties: false },
);

/**
 * A record node's spec, as `expand` makes it from the validated block: the zone (in its normal
 * form) beside one record.
 */
const RecordNodeSchema = Type.Object({ zone: Type.String(), record: RecordSchema });

export type DnsSpec = Static<typeof DnsSchema>;
export type RecordSpec = Static<typeof RecordSchema>;
export type AliasSpec = Static<typeof AliasTarget>;

export const dnsSpec = specReader(DnsSchema);
export const recordNodeSpec = specReader(RecordNodeSchema);
