import { Protect, Tags, Type, directive, identity, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";

export const TYPE = "instances";

/** An instance id, as `adopt` lists them and `image.fromInstance` names one. */
export function instanceId(options: { [key: string]: unknown } = {}) {
  return Type.String({
    pattern: "^i-[0-9a-f]{8,17}$",
    description: "an instance id like i-0a1b2c3d4e5f60718",
    ...identity,
    ...options,
  });
}

const IMAGE_FORMS = "an AMI id (ami-…), { fromInstance: i-… } or { name: pattern }";

export type ImageSpec =
  | string
  | { fromInstance: string; noReboot?: boolean; adoptImage?: string }
  | { name: string; owners?: string[] };

/**
 * `image`, in one of three forms. if/then/else rather than oneOf, so a mistake reads as one clear
 * sentence, not "no allowed form" — which TypeBox's own union would produce, hence `Unsafe`.
 */
const Image = Type.Unsafe<ImageSpec>({
  ...replaces,
  if: { type: "string" },
  then: { type: "string", pattern: "^ami-[0-9a-f]{8,17}$", description: IMAGE_FORMS },
  else: Type.Object(
    {
      fromInstance: Type.Optional(instanceId()),
      // CreateImage reboots the instance by default so the file system is consistent.
      noReboot: Type.Optional(Type.Boolean({ ...directive, default: false })),
      adoptImage: Type.Optional(
        Type.String({
          minLength: 3,
          maxLength: 128,
          description:
            "with fromInstance: the name of an AMI of that instance already made by hand (e.g. chatmrpt-staging-base-20261120); it is adopted instead of imaging the instance again",
          ...directive,
        }),
      ),
      name: Type.Optional(
        Type.String({ minLength: 1, description: "an AMI name pattern like amzn2-ami-hvm-*-x86_64-gp2" }),
      ),
      // Never every public AMI: anyone can publish one called "amzn2-ami-hvm-…".
      owners: Type.Optional(
        Type.Array(
          Type.String({
            pattern: "^(self|amazon|aws-marketplace|[0-9]{12})$",
            description: "self, amazon, aws-marketplace or an account id",
          }),
          { minItems: 1, default: ["self", "amazon"] },
        ),
      ),
    },
    {
      description: IMAGE_FORMS,
      additionalProperties: false,
      // Only once it is a map: otherwise `5` would also get "must set exactly one of…".
      if: { type: "object" },
      then: { oneOf: [{ required: ["fromInstance"] }, { required: ["name"] }] },
    },
  ),
});

export const InstanceSchema = Type.Object(
  {
    count: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 1 })),
    // Changes in place (stop, modify, start).
    type: Type.String({ pattern: "^[a-z0-9-]+\\.[a-z0-9]+$", description: "an instance type like t3.micro" }),
    image: Image,
    keyName: Type.Optional(Type.String({ minLength: 1, maxLength: 255, ...identity, ...replaces })),
    // Changes in place (ModifyInstanceAttribute).
    securityGroups: Type.Optional(
      Type.Array(
        Type.String({
          pattern: "^(securityGroups\\.[A-Za-z0-9_-]+|sg-[0-9a-f]+)$",
          description: "a reference like securityGroups.app, or an sg-… id",
        }),
      ),
    ),
    // A placement set, not an attribute: each member's `subnet` is chosen from it (see desired.ts).
    subnets: Type.Optional(
      Type.Array(
        Type.String({ pattern: "^subnet-[0-9a-f]+$", description: "a subnet id like subnet-0123abcd" }),
        { minItems: 1, ...identity },
      ),
    ),
    tags: Type.Optional(Tags),
    // Each member's own Name tag, by index; members past the list take the first with their number.
    names: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
        minItems: 1,
        description: "each member's Name tag, e.g. [chatmrpt-staging, chatmrpt-staging-2]",
        ...identity,
      }),
    ),
    adopt: Type.Optional(Type.Array(instanceId(), { ...directive })),
    snapshotBeforeChange: Type.Optional(Type.Boolean({ ...directive, default: false })),
    protect: Type.Optional(Protect),
  },
  { additionalProperties: false },
);

export type InstanceSpec = Static<typeof InstanceSchema>;
/** A member node's spec: its entry, plus which member it is. */
export type MemberSpec = InstanceSpec & { index: number };

export const instanceSpec = specReader(InstanceSchema);
export const memberSpec = specReader<typeof InstanceSchema, { index: number }>(InstanceSchema);

/** The source instance of `image: { fromInstance }`. */
export function fromInstanceOf(image: ImageSpec): string | undefined {
  return typeof image === "object" && "fromInstance" in image ? image.fromInstance : undefined;
}

/** `image: { fromInstance, adoptImage }`: the hand-made AMI of the source to adopt, by name. */
export function adoptImageOf(image: ImageSpec): string | undefined {
  return typeof image === "object" && "fromInstance" in image ? image.adoptImage : undefined;
}

/** `image: { name, owners }`, with owners defaulted and sorted (they key the lookup). */
export function namePatternOf(image: ImageSpec): { name: string; owners: string[] } | undefined {
  if (typeof image !== "object" || !("name" in image)) return undefined;
  return { name: image.name, owners: [...(image.owners ?? ["self", "amazon"])].sort() };
}
