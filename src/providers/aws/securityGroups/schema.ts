import { Protect, Tags, Type, identity, reference, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";

export const TYPE = "securityGroups";

const IngressRule = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    toPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    protocol: Type.Optional(Type.Enum(["tcp", "udp", "icmp", "all"], { default: "tcp" })),
    cidr: Type.Optional(Type.String({ pattern: "^[0-9.]+(/[0-9]{1,2})?$" })),
    source: Type.Optional(reference(TYPE)),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false, oneOf: [{ required: ["cidr"] }, { required: ["source"] }] },
);

export const SecurityGroupSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, ...identity, ...replaces }),
    description: Type.Optional(Type.String({ maxLength: 255, ...replaces })),
    vpc: Type.Optional(Type.String({ pattern: "^vpc-[0-9a-f]+$", ...identity, ...replaces })),
    protect: Type.Optional(Protect),
    tags: Type.Optional(Tags),
    ingress: Type.Optional(Type.Array(IngressRule)),
  },
  { additionalProperties: false },
);

export type SecurityGroupSpec = Static<typeof SecurityGroupSchema>;
export type IngressSpec = Static<typeof IngressRule>;

export const groupSpec = specReader(SecurityGroupSchema);
