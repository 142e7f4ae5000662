import { Protect, Tags, Type, identity, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";
import { ELBV2_NAME } from "../common/elbv2Names.js";
import { ListenerSchema } from "./listeners/schema.js";

export const TYPE = "loadBalancers";

/** What an application load balancer has when the file leaves a setting out; always compared. */
export const LOAD_BALANCER_DEFAULTS = { idleTimeoutSeconds: 60, crossZone: true } as const;

/** What the load balancer's own node carries: everything but its listeners, which are nodes of their own. */
const loadBalancerFields = {
  name: Type.String({ ...ELBV2_NAME, ...identity, ...replaces }),
  scheme: Type.Optional(
    Type.Enum(["internet-facing", "internal"], { default: "internet-facing", ...replaces }),
  ),
  subnets: Type.Optional(
    Type.Array(Type.String({ pattern: "^subnet-[0-9a-f]+$", description: "a subnet-… id" }), {
      minItems: 2,
      ...identity,
    }),
  ),
  securityGroups: Type.Optional(
    Type.Array(
      Type.String({
        pattern: "^(securityGroups\\.[A-Za-z0-9_-]+|sg-[0-9a-f]+)$",
        description: "a reference like securityGroups.alb, or an sg-… id",
      }),
    ),
  ),
  idleTimeoutSeconds: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 4000, default: LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds }),
  ),
  crossZone: Type.Optional(Type.Boolean({ default: LOAD_BALANCER_DEFAULTS.crossZone })),
  protect: Type.Optional(Protect),
  tags: Type.Optional(Tags),
};

/** One entry of `loadBalancers` in the file. */
export const LoadBalancerSchema = Type.Object(
  { ...loadBalancerFields, listeners: Type.Optional(Type.Array(ListenerSchema)) },
  { additionalProperties: false },
);

/** The load balancer's node: its entry without the listeners (expand makes those nodes of their own). */
export const LoadBalancerNodeSchema = Type.Object(loadBalancerFields, { additionalProperties: false });

export type LoadBalancerEntry = Static<typeof LoadBalancerSchema>;
export type LoadBalancerSpec = Static<typeof LoadBalancerNodeSchema>;

export const loadBalancerEntry = specReader(LoadBalancerSchema);
export const loadBalancerSpec = specReader(LoadBalancerNodeSchema);
