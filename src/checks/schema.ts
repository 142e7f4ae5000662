import { Type, reference, validatedReader } from "../engine/schema.js";
import type { Static } from "../engine/schema.js";

const DEADLINE = Type.Integer({ minimum: 1, maximum: 3600 });

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
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    deadlineSeconds: Type.Optional(DEADLINE),
  },
  { additionalProperties: false },
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

/** One entry of `checks:` in the environment file. */
export function checkSchema(targetGroupKind: string) {
  return Type.Object(
    {
      name: Type.String({ minLength: 1 }),
      http: Type.Optional(HttpCheck),
      targetHealth: Type.Optional(targetHealthCheck(targetGroupKind)),
    },
    { additionalProperties: false, oneOf: [{ required: ["http"] }, { required: ["targetHealth"] }] },
  );
}

export type HttpCheckSpec = Static<typeof HttpCheck>;
export type TargetHealthCheckSpec = Static<ReturnType<typeof targetHealthCheck>>;

export const httpCheckSpec = validatedReader(HttpCheck);
export const targetHealthCheckSpec = validatedReader(targetHealthCheck(""));
