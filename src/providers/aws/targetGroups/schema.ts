import { Protect, Tags, Type, identity, reference, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";
import { ELBV2_NAME } from "../common/elbv2Names.js";

export const TYPE = "targetGroups";

/** What AWS uses for an HTTP target group when the file leaves a setting out; always compared. */
export const TARGET_GROUP_DEFAULTS = {
  healthCheck: {
    path: "/",
    intervalSeconds: 30,
    timeoutSeconds: 5,
    healthyThreshold: 5,
    unhealthyThreshold: 2,
    matcher: "200",
  },
  stickinessDurationSeconds: 86400,
  deregistrationDelaySeconds: 300,
} as const;
const HC = TARGET_GROUP_DEFAULTS.healthCheck;

const HealthCheck = Type.Object(
  {
    path: Type.Optional(
      Type.String({ pattern: "^/", description: "a path starting with /", default: HC.path }),
    ),
    intervalSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 300, default: HC.intervalSeconds })),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 2, maximum: 120, default: HC.timeoutSeconds })),
    healthyThreshold: Type.Optional(Type.Integer({ minimum: 2, maximum: 10, default: HC.healthyThreshold })),
    unhealthyThreshold: Type.Optional(
      Type.Integer({ minimum: 2, maximum: 10, default: HC.healthyThreshold }),
    ),
    // One keyword set for both spellings (`200` and `"200-299"`): a union would change the messages.
    matcher: Type.Optional(
      Type.Unsafe<string | number>({
        type: ["string", "integer"],
        pattern: "^\\s*[0-9]{3}(\\s*-\\s*[0-9]{3})?(\\s*,\\s*[0-9]{3}(\\s*-\\s*[0-9]{3})?)*\\s*$",
        description: 'HTTP codes like "200", "200-299" or "200,302"',
        default: HC.matcher,
      }),
    ),
  },
  { additionalProperties: false },
);

const LbCookie = Type.Object(
  {
    // A bare const: Type.Literal would add `type: "string"`, and with it a second error message.
    type: Type.Unsafe<"lb_cookie">({ const: "lb_cookie" }),
    durationSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 604800, default: TARGET_GROUP_DEFAULTS.stickinessDurationSeconds }),
    ),
  },
  { additionalProperties: false },
);

/** `stickiness: false` or `{ type: lb_cookie, durationSeconds }`, as oneOf (a TypeBox union is anyOf). */
const Stickiness = Type.Unsafe<false | Static<typeof LbCookie>>({
  oneOf: [{ const: false }, LbCookie],
  description: "false or { type: lb_cookie, durationSeconds }",
  default: false,
});

const InstanceGroup = reference("instances", { description: "a reference like instances.web" });

/** One instance group or a list of them. */
const Targets = Type.Unsafe<string | string[]>({
  oneOf: [InstanceGroup, Type.Array(InstanceGroup)],
  description: "a reference like instances.web, or a list of them",
});

export const TargetGroupSchema = Type.Object(
  {
    name: Type.String({ ...ELBV2_NAME, ...identity, ...replaces }),
    port: Type.Integer({ minimum: 1, maximum: 65535, ...replaces }),
    protocol: Type.Optional(Type.Enum(["HTTP", "HTTPS"], { default: "HTTP", ...replaces })),
    vpc: Type.Optional(
      Type.String({ pattern: "^vpc-[0-9a-f]+$", description: "a vpc-… id", ...identity, ...replaces }),
    ),
    healthCheck: Type.Optional(HealthCheck),
    stickiness: Type.Optional(Stickiness),
    deregistrationDelaySeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, default: TARGET_GROUP_DEFAULTS.deregistrationDelaySeconds }),
    ),
    targets: Type.Optional(Targets),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

export type TargetGroupSpec = Static<typeof TargetGroupSchema>;
export type HealthCheckSpec = Static<typeof HealthCheck>;
export type StickinessSpec = Static<typeof Stickiness>;

export const targetGroupSpec = specReader(TargetGroupSchema);
