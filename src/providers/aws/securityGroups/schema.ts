import { Protect, Tags, Type, identity, reference, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";
import { CIDR_SYNTAX } from "../common/cidr.js";

export const TYPE = "securityGroups";

/** The characters EC2 allows in a VPC security group's name and descriptions. */
function groupText(what: string) {
  return {
    pattern: "^[A-Za-z0-9 ._:/()#,@\\[\\]+=&;{}!$*-]*$",
    description: `${what} of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*`,
  };
}

/** One rule, inbound or outbound: the same shape both ways (`source` is the peer group either way). */
const Rule = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    toPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    protocol: Type.Optional(
      Type.Enum(["tcp", "udp", "icmp", "all"], {
        default: "tcp",
        description: "all: every protocol and port (AWS ignores the ports and records -1)",
      }),
    ),
    cidr: Type.Optional(Type.String(CIDR_SYNTAX)),
    source: Type.Optional(reference(TYPE)),
    // Compared like every other setting: a description added or edited by hand shows as drift.
    description: Type.Optional(
      Type.String({ maxLength: 255, ...groupText("a rule description"), default: "" }),
    ),
  },
  { additionalProperties: false, oneOf: [{ required: ["cidr"] }, { required: ["source"] }] },
);

/** The description a group gets when the file gives none, and is compared with after. */
export function defaultDescription(name: string): string {
  return `${name} (managed by parity)`;
}

export const SecurityGroupSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 255,
      ...groupText("a security group name"),
      ...identity,
      ...replaces,
    }),
    // EC2 cannot change a group's description: a different one is a new group. Descriptions name
    // their environment ("khorium staging load balancer"): not its shape.
    description: Type.Optional(
      Type.String({
        maxLength: 255,
        ...groupText("a description"),
        default: defaultDescription("<name>"),
        ...identity,
        ...replaces,
      }),
    ),
    vpc: Type.Optional(
      Type.String({ pattern: "^vpc-[0-9a-f]+$", description: "a vpc-… id", ...identity, ...replaces }),
    ),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
    ingress: Type.Optional(Type.Array(Rule)),
    egress: Type.Optional(
      Type.Array(Rule, {
        description:
          "outbound rules (`source` names the group traffic may go to); when absent, AWS's default: all traffic to 0.0.0.0/0, compared like any rule, so an outbound rule changed by hand shows as drift; a list replaces the default (an empty list allows no outbound traffic)",
        default: [{ port: 0, protocol: "all", cidr: "0.0.0.0/0" }],
      }),
    ),
  },
  { additionalProperties: false },
);

export type SecurityGroupSpec = Static<typeof SecurityGroupSchema>;
export type RuleSpec = Static<typeof Rule>;

export const groupSpec = specReader(SecurityGroupSchema);
