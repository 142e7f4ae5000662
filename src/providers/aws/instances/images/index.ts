import type { ResourceType } from "../../../../engine/types.js";
import type { AwsContext } from "../../context.js";
import { desiredInstanceImage } from "./desired.js";
import { lookupSources, observeImages } from "./observe.js";
import { adoptImage, createImage, deleteImage, updateImage } from "./operations.js";
import { IMAGE_TYPE, InstanceImageSchema } from "./schema.js";

/**
 * The AMI behind `image: { fromInstance: i-… }`, as its own node (`instances.web.image`). It is
 * tagged like any resource parity owns, so a re-plan finds it and members launch from it instead
 * of imaging the instance again. An AMI of the source made by hand is adopted when the file names
 * it (`image: { fromInstance, adoptImage }`).
 */
export const instanceImageType: ResourceType<AwsContext> = {
  type: IMAGE_TYPE,
  schema: InstanceImageSchema,
  expectedSeconds: { create: 300, replace: 300, delete: 10 },
  risks(change) {
    // Imaging reboots the source instance unless noReboot is set (desired() says so in a note).
    const reboots = change.notes.some((n) => n.startsWith("reboots "));
    return (change.action === "create" || change.action === "replace") && reboots ? ["downtime"] : [];
  },
  desired: desiredInstanceImage,
  lookup: lookupSources,
  observe: observeImages,
  create: createImage,
  update: updateImage,
  delete: deleteImage,
  adopt: adoptImage,
};
