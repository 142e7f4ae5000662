import { Type, identity, reference, replaces, specReader } from "../../../../engine/schema.js";
import { CERTIFICATE_REFERENCE } from "../../common/certificates.js";
import type { Static } from "../../../../engine/schema.js";

export const LISTENER_TYPE = "listeners";

/** What ELB uses when the file leaves a listener setting out; always compared. */
export const LISTENER_DEFAULTS = {
  statusCode: "HTTP_301",
  httpsSslPolicy: "ELBSecurityPolicy-2016-08",
} as const;

const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Protocol = Type.Enum(["HTTP", "HTTPS"]);

/** An ACM certificate by ARN, by reference to the file's own, or by domain (looked up in the load balancer's region). */
const Certificate = Type.Unsafe<string | { domain: string }>({
  oneOf: [
    Type.String({ pattern: "^arn:aws[a-z-]*:acm:", description: "an ACM certificate ARN or { domain: … }" }),
    Type.String({ pattern: CERTIFICATE_REFERENCE, description: "a reference like certificates.site" }),
    Type.Object({ domain: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
  ...identity,
});

const Redirect = Type.Object(
  {
    protocol: Protocol,
    port: Port,
    statusCode: Type.Optional(
      Type.Enum([301, 302, "HTTP_301", "HTTP_302"], { default: LISTENER_DEFAULTS.statusCode }),
    ),
  },
  { additionalProperties: false },
);

const listenerFields = {
  // A listener's address is its port (`listeners[443]`): another port is another listener.
  port: Port,
  protocol: Protocol,
  certificate: Type.Optional(Certificate),
  sslPolicy: Type.Optional(
    Type.String({
      minLength: 1,
      description: "an ELB security policy name, for HTTPS listeners",
      default: LISTENER_DEFAULTS.httpsSslPolicy,
    }),
  ),
  forward: Type.Optional(reference("targetGroups", { description: "a reference like targetGroups.web" })),
  redirect: Type.Optional(Redirect),
};

/** One entry of a load balancer's `listeners` in the file. */
export const ListenerSchema = Type.Object(listenerFields, { additionalProperties: false });

/** A listener node: its entry, plus the load balancer it belongs to (added by expand). */
export const ListenerNodeSchema = Type.Object(
  {
    // A listener cannot move to another load balancer: a new one (after a replacement) means a new listener.
    loadBalancer: Type.String({ pattern: "^loadBalancers\\.[A-Za-z0-9_-]+$", ...identity, ...replaces }),
    ...listenerFields,
  },
  { additionalProperties: false },
);

export type ListenerEntry = Static<typeof ListenerSchema>;
export type ListenerSpec = Static<typeof ListenerNodeSchema>;

export const listenerSpec = specReader(ListenerNodeSchema);

/** `loadBalancers.web.listeners[443]`: one node per port, so each listener is its own plan line. */
export function listenerAddress(loadBalancer: string, port: number | string): string {
  return `${loadBalancer}.listeners[${port}]`;
}
