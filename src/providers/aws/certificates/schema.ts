import { Protect, Tags, Type, directive, identity, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";

/** An ACM certificate, validated through DNS records parity writes into the domain's hosted zone. */
export const TYPE = "certificates";

const DOMAIN = "^(\\*\\.)?([A-Za-z0-9-]+\\.)+[A-Za-z0-9-]+\\.?$";

export const CertificateSchema = Type.Object(
  {
    domain: Type.String({
      pattern: DOMAIN,
      description: "a domain name like *.example.com",
      ...identity,
      ...replaces,
    }),
    subjectAlternativeNames: Type.Optional(
      Type.Array(Type.String({ pattern: DOMAIN, description: "a domain name like example.com" }), {
        maxItems: 99,
        default: [],
        ...replaces,
      }),
    ),
    // CloudFront takes certificates from us-east-1 only; a load balancer from its own region.
    region: Type.Optional(
      Type.String({
        pattern: "^[a-z]{2}(-[a-z]+)+-\\d$",
        description: "an AWS region like us-east-1; the environment's when left out",
        ...replaces,
      }),
    ),
    // DNS is the only method parity can complete on its own: it writes the records itself.
    validation: Type.Optional(Type.Enum(["dns"], { default: "dns", ...directive })),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

export type CertificateSpec = Static<typeof CertificateSchema>;

export const certificateSpec = specReader(CertificateSchema);
