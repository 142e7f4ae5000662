import type { Instance } from "@aws-sdk/client-ec2";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import { fromAwsTags, ownership } from "../tags.js";
import { TYPE } from "./spec.js";

/** Set at adoption so an adopted member keeps satisfying `image: { fromInstance }` (see image.ts). */
export const TAG_ADOPTED = "parity:adopted";
/** Records `snapshotBeforeChange` on the instance, so removing the whole entry still snapshots first. */
export const TAG_SNAPSHOT = "parity:snapshot-before-change";

/** States in which an instance exists for us; terminated and shutting-down ones are gone. */
export const LIVE_STATES = ["pending", "running", "stopping", "stopped"];

export type ObserveExtras = {
  /** The member address an untagged instance listed in `adopt` fills. */
  adoptAs?: string;
  /** What the file says for this instance's group, when the group is still in the file. */
  snapshotBeforeChange?: boolean;
  /** The name of the AMI it runs, when a name pattern needs it. */
  imageName?: string;
};

/** One EC2 instance → the normalised form plans compare. */
export function observeInstance(
  instance: Instance,
  env: EnvironmentInfo,
  extras: ObserveExtras = {},
): ObservedNode {
  const tags = fromAwsTags(instance.Tags);
  const owner = ownership(tags, env);
  const address = owner.address ?? extras.adoptAs;
  const volumes = (instance.BlockDeviceMappings ?? [])
    .map((m) => m.Ebs?.VolumeId)
    .filter((v): v is string => !!v)
    .sort();
  const attributes: { [key: string]: Value } = {
    type: instance.InstanceType ?? "",
    image: instance.ImageId ?? "",
    securityGroups: (instance.SecurityGroups ?? [])
      .map((g) => g.GroupId ?? "")
      .filter(Boolean)
      .sort(),
    subnet: instance.SubnetId ?? "",
    tags,
  };
  if (instance.KeyName) attributes.keyName = instance.KeyName;
  return {
    type: TYPE,
    ...(address ? { address } : {}),
    id: instance.InstanceId ?? "",
    managed: owner.managed,
    protect: owner.protect,
    attributes,
    outputs: { id: instance.InstanceId ?? "", privateIp: instance.PrivateIpAddress ?? "" },
    details: {
      state: instance.State?.Name ?? "",
      volumes,
      adopted: !owner.managed || tags[TAG_ADOPTED] === "true",
      // The file's current word wins; the tag speaks for an entry that is gone from the file.
      snapshotBeforeChange: extras.snapshotBeforeChange ?? tags[TAG_SNAPSHOT] === "true",
      ...(extras.imageName ? { imageName: extras.imageName } : {}),
    },
  };
}

export function outputsOf(instance: Instance): { [key: string]: Value } {
  return { id: instance.InstanceId ?? "", privateIp: instance.PrivateIpAddress ?? "" };
}
