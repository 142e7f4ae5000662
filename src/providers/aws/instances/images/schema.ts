import { Type, directive, replaces, specReader } from "../../../../engine/schema.js";
import type { Static } from "../../../../engine/schema.js";
import { instanceId } from "../schema.js";

export const IMAGE_TYPE = "instanceImages";

/**
 * An AMI node's spec. The file never writes it: expansion copies it from the entry's
 * `image: { fromInstance, noReboot }` (members.ts), so it validates nothing itself.
 */
export const InstanceImageSchema = Type.Object(
  {
    // Another source means another AMI: made anew, the old one deregistered.
    fromInstance: instanceId({ ...replaces }),
    noReboot: Type.Boolean({ ...directive, default: false }),
    adoptImage: Type.Optional(Type.String({ ...directive })),
  },
  { additionalProperties: false },
);

export type InstanceImageSpec = Static<typeof InstanceImageSchema>;

export const imageSpec = specReader(InstanceImageSchema);
