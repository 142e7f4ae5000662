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

const IngressRule = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    toPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    protocol: Type.Optional(Type.Enum(["tcp", "udp", "icmp", "all"], { default: "tcp" })),
    cidr: Type.Optional(Type.String(CIDR_SYNTAX)),
    source: Type.Optional(reference(TYPE)),
    description: Type.Optional(Type.String({ maxLength: 255, ...groupText("a rule description") })),
  },
  { additionalProperties: false, oneOf: [{ required: ["cidr"] }, { required: ["source"] }] },
);

export const SecurityGroupSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 255,
      ...groupText("a security group name"),
      ...identity,
      ...replaces,
    }),
    // Descriptions name their environment ("khorium staging load balancer"): not its shape.
    description: Type.Optional(
      Type.String({ maxLength: 255, ...groupText("a description"), ...identity, ...replaces }),
    ),
    vpc: Type.Optional(
      Type.String({ pattern: "^vpc-[0-9a-f]+$", description: "a vpc-… id", ...identity, ...replaces }),
    ),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
    ingress: Type.Optional(Type.Array(IngressRule)),
  },
  { additionalProperties: false },
);

export type SecurityGroupSpec = Static<typeof SecurityGroupSchema>;
export type IngressSpec = Static<typeof IngressRule>;

export const groupSpec = specReader(SecurityGroupSchema);
