import { Type, reference, validatedReader } from "../engine/schema.js";
import type { Static } from "../engine/schema.js";

const DEADLINE = Type.Integer({
  minimum: 1,
  maximum: 3600,
  description: "an integer 1-3600: seconds the check may keep trying before it fails",
});
const RETRIES = Type.Integer({
  minimum: 0,
  maximum: 100,
  description: "an integer 0-100: tries after the first before giving up (default: until the deadline)",
});
const HOST = Type.String({
  minLength: 1,
  description: "a host name or IP address; may interpolate, e.g. ${caches.sessions.endpoint}",
});

const HttpCheck = Type.Object(
  {
    url: Type.String({ pattern: "^https?://", description: "an http:// or https:// URL" }),
    method: Type.Optional(Type.Enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])),
    headers: Type.Optional(
      Type.Unsafe<Record<string, string>>({ type: "object", additionalProperties: { type: "string" } }),
    ),
    body: Type.Optional(Type.String()),
    expectStatus: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    expectBodyContains: Type.Optional(Type.String()),
    expectHeader: Type.Optional(
      Type.Unsafe<Record<string, string>>({
        type: "object",
        additionalProperties: { type: "string" },
        minProperties: 1,
        description:
          "response headers that must be present, each containing the given text: { cache-control: max-age } (names are case-insensitive)",
      }),
    ),
    repeat: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 50,
        description:
          "send this many requests in sequence, sharing cookies (a Set-Cookie from one is sent on the next); every one must pass (default 1, or 2 with expectSame)",
      }),
    ),
    expectSame: Type.Optional(
      Type.Union(
        [
          Type.Object(
            { header: Type.String({ minLength: 1, description: "a header name, e.g. x-served-by" }) },
            { additionalProperties: false },
          ),
          Type.Object({ body: Type.Literal(true) }, { additionalProperties: false }),
        ],
        {
          description:
            'every request of the sequence must get the same value of this response header ({ header: x-served-by }) or the same body ({ body: true }): "sticky sessions work"',
        },
      ),
    ),
    retries: Type.Optional(RETRIES),
    deadlineSeconds: Type.Optional(DEADLINE),
  },
  {
    additionalProperties: false,
    // One request always gets the same answer as itself: with expectSame the check could not fail.
    if: { required: ["expectSame"] },
    then: {
      properties: {
        repeat: {
          minimum: 2,
          description: "at least 2 with expectSame (one request is always the same as itself)",
        },
      },
    },
  },
);

const DnsCheck = Type.Object(
  {
    name: Type.String({ minLength: 1, description: "a DNS name to resolve, e.g. app.khorium.ai" }),
    type: Type.Optional(
      Type.Enum(["A", "AAAA", "CNAME", "TXT"], {
        default: "A",
        description: "one of A, AAAA, CNAME, TXT: the record type asked for",
      }),
    ),
    expect: Type.String({
      minLength: 1,
      description:
        "an address, a host name or a TXT value; may interpolate (${distributions.site.domainName}). A host name passes when the name's CNAME chain reaches it or their addresses meet. Against real AWS the system resolver answers; with an endpoint override (an emulator), the hosted zone's records do",
    }),
    retries: Type.Optional(RETRIES),
    deadlineSeconds: Type.Optional(DEADLINE),
  },
  { additionalProperties: false },
);

const TlsCheck = Type.Object(
  {
    host: HOST,
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 443 })),
    minDaysLeft: Type.Optional(
      Type.Integer({
        minimum: 0,
        default: 14,
        description: "a whole number of days: fail when the certificate expires within them",
      }),
    ),
    retries: Type.Optional(RETRIES),
    deadlineSeconds: Type.Optional(DEADLINE),
  },
  {
    additionalProperties: false,
    description:
      "the certificate served for host covers it, its chain verifies, and it does not expire within minDaysLeft",
  },
);

const TcpCheck = Type.Object(
  {
    host: HOST,
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    retries: Type.Optional(RETRIES),
    deadlineSeconds: Type.Optional(DEADLINE),
  },
  { additionalProperties: false, description: "host:port accepts a connection (e.g. Redis from here)" },
);

/** The target group a health check counts is whichever kind the provider says holds them. */
function targetHealthCheck(targetGroupKind: string) {
  return Type.Object(
    {
      targetGroup: reference(targetGroupKind, { description: `a reference like ${targetGroupKind}.web` }),
      minHealthy: Type.Optional(Type.Integer({ minimum: 0 })),
      deadlineSeconds: Type.Optional(DEADLINE),
    },
    { additionalProperties: false },
  );
}

/** The probes a check can make: each entry of `checks:` has exactly one. */
export const CHECK_KINDS = ["http", "targetHealth", "dns", "tls", "tcp"] as const;

/** One entry of `checks:` in the environment file. */
export function checkSchema(targetGroupKind: string) {
  return Type.Object(
    {
      name: Type.String({ minLength: 1 }),
      http: Type.Optional(HttpCheck),
      targetHealth: Type.Optional(targetHealthCheck(targetGroupKind)),
      dns: Type.Optional(DnsCheck),
      tls: Type.Optional(TlsCheck),
      tcp: Type.Optional(TcpCheck),
    },
    { additionalProperties: false, oneOf: CHECK_KINDS.map((kind) => ({ required: [kind] })) },
  );
}

export type HttpCheckSpec = Static<typeof HttpCheck>;
export type TargetHealthCheckSpec = Static<ReturnType<typeof targetHealthCheck>>;
export type DnsCheckSpec = Static<typeof DnsCheck>;
export type TlsCheckSpec = Static<typeof TlsCheck>;
export type TcpCheckSpec = Static<typeof TcpCheck>;

export const httpCheckSpec = validatedReader(HttpCheck);
export const targetHealthCheckSpec = validatedReader(targetHealthCheck(""));
export const dnsCheckSpec = validatedReader(DnsCheck);
export const tlsCheckSpec = validatedReader(TlsCheck);
export const tcpCheckSpec = validatedReader(TcpCheck);
