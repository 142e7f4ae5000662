import { Protect, Tags, Type, directive, identity, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";
import { CERTIFICATE_REFERENCE } from "../common/certificates.js";

export const TYPE = "distributions";

const HOST = "^(\\*\\.)?([A-Za-z0-9-]+\\.)+[A-Za-z0-9-]+\\.?$";
const CERTIFICATE_ARN = "^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/.+$";

const PORT = { minimum: 1, maximum: 65535 };

/** Policies are account objects (a managed one has the same id everywhere, a custom one does not). */
function policyId() {
  return Type.String({ pattern: "^[0-9A-Fa-f-]{36}$", description: "a policy id (a UUID)", ...identity });
}

function certificateArn() {
  return Type.String({ pattern: CERTIFICATE_ARN, description: "an ACM certificate ARN", ...identity });
}

/** What a behaviour sets besides its path pattern; the default behaviour is exactly this. */
const behaviorFields = {
  origin: Type.String({ minLength: 1 }),
  viewerProtocol: Type.Optional(
    Type.Enum(["allow-all", "redirect-to-https", "https-only"], {
      description: "the default behaviour's, for a path behaviour; redirect-to-https for the default",
    }),
  ),
  allowedMethods: Type.Optional(Type.Enum(["get-head", "get-head-options", "all"], { default: "get-head" })),
  forwardHeaders: Type.Optional(
    Type.Array(Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: "an HTTP header name" })),
  ),
  // With forwardHeaders (no cache policy): what else reaches the origin, e.g. no cookies for an API.
  forwardCookies: Type.Optional(
    Type.Unsafe<"all" | "none" | string[]>({
      oneOf: [
        { enum: ["all", "none"] },
        { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
      ],
      description: "all, none, or the cookie names to forward (only without a cache policy)",
      default: "all",
    }),
  ),
  forwardQueryString: Type.Optional(
    Type.Boolean({ description: "forward the query string (only without a cache policy)", default: true }),
  ),
  cachePolicyId: Type.Optional(policyId()),
  originRequestPolicyId: Type.Optional(policyId()),
  compress: Type.Optional(Type.Boolean({ default: true })),
};

const DefaultBehavior = Type.Object(behaviorFields, { additionalProperties: false });

const Behavior = Type.Object(
  { path: Type.String({ minLength: 1 }), ...behaviorFields },
  { additionalProperties: false },
);

const CertificateLookup = Type.Object(
  {
    domain: Type.Optional(
      Type.String({ pattern: HOST, description: "a domain name like *.example.com", ...identity }),
    ),
    arn: Type.Optional(certificateArn()),
    minimumProtocolVersion: Type.Optional(
      Type.Enum([
        "TLSv1",
        "TLSv1_2016",
        "TLSv1.1_2016",
        "TLSv1.2_2018",
        "TLSv1.2_2019",
        "TLSv1.2_2021",
        "TLSv1.2_2025",
        "TLSv1.3_2025",
      ]),
    ),
  },
  { additionalProperties: false, oneOf: [{ required: ["domain"] }, { required: ["arn"] }] },
);

// `oneOf` rather than TypeBox's `anyOf`: an ARN string and a lookup object are exclusive, and the
// config's messages read the `oneOf` errors.
const Certificate = Type.Unsafe<string | Static<typeof CertificateLookup>>({
  oneOf: [
    certificateArn(),
    Type.String({ pattern: CERTIFICATE_REFERENCE, description: "a reference like certificates.site" }),
    CertificateLookup,
  ],
  description: "an ACM certificate ARN, a reference like certificates.site, or { domain } or { arn }",
});

const Origin = Type.Object(
  {
    domain: Type.String({ minLength: 1, ...identity }),
    protocol: Type.Enum(["http-only", "https-only", "match-viewer"]),
    httpPort: Type.Optional(Type.Integer({ ...PORT, default: 80 })),
    httpsPort: Type.Optional(Type.Integer({ ...PORT, default: 443 })),
  },
  { additionalProperties: false },
);

// Origins by id: a map whose names are checked by `propertyNames`, which TypeBox's Record would
// turn into `patternProperties` (a different validation, and different messages).
const Origins = Type.Unsafe<Record<string, Static<typeof Origin>>>({
  type: "object",
  minProperties: 1,
  propertyNames: {
    pattern: "^[A-Za-z0-9_.-]+$",
    description: "an origin id of letters, digits, _, . and -",
  },
  additionalProperties: Origin,
});

export const DistributionSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: "^[A-Z0-9]+$",
        description:
          "adopt this existing distribution by its id (E…); without it, a distribution nobody owns is adopted when its aliases include one of the file's",
        ...directive,
      }),
    ),
    aliases: Type.Optional(
      Type.Array(
        Type.String({ pattern: HOST, description: "a domain name like app.example.com", ...identity }),
      ),
    ),
    certificate: Type.Optional(Certificate),
    origins: Origins,
    defaultBehavior: DefaultBehavior,
    behaviors: Type.Optional(Type.Array(Behavior, { default: [] })),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    // A comment names its environment ("khorium staging"): not its shape.
    comment: Type.Optional(Type.String({ maxLength: 128, default: "", ...identity })),
    priceClass: Type.Optional(
      Type.Enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"], { default: "PriceClass_All" }),
    ),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

export type DistributionSpec = Static<typeof DistributionSchema>;
export type OriginSpec = Static<typeof Origin>;
/** A behaviour of the file; the default behaviour is one without a path. */
export type BehaviorSpec = Static<typeof DefaultBehavior> & { path?: string };

export const distributionSpec = specReader(DistributionSchema);
