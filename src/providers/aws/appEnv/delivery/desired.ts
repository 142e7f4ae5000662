import { createHash } from "node:crypto";
import type { DesiredState, Resolver } from "../../../../engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../../../model/index.js";
import { isUnknown, unknown } from "../../../../model/index.js";
import { tagMap } from "../../common/readers.js";
import { keyAddress } from "../values.js";
import { deliverySettings, deliverySpec } from "./schema.js";
import type { DeliveryNodeSpec } from "./schema.js";

/** Bumped when what the digest covers changes, so every instance receives the file again once. */
const DIGEST_FORMAT = 1;

/**
 * What an instance received, as a short digest of the parameters' names and versions and of the
 * file's settings. Versions, not values: a tag must never hold anything derived from a secret.
 * Unknown while a key is still to be written (its next version is AWS's to choose).
 */
export function deliveryDigest(spec: DeliveryNodeSpec, resolver: Resolver): Value {
  const versions: [string, Value][] = [...spec.keys]
    .sort()
    .map((key) => [`${spec.path}${key}`, resolver.output(keyAddress(key), "version")]);
  if (versions.some(([, version]) => isUnknown(version))) return unknown("appEnv.deliver.digest");
  const { to: _to, ...settings } = deliverySettings(spec);
  const text = JSON.stringify({ format: DIGEST_FORMAT, settings, versions });
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Each member of the group: its instance id, or its address while it is still to be launched. */
function members(spec: DeliveryNodeSpec, resolver: Resolver): string[] {
  return resolver.group(spec.to).map((outputs, i) => {
    const id = outputs.id;
    return typeof id === "string" && id !== "" ? id : `${spec.to}[${i}]`;
  });
}

/** The instances of the change that will receive the file, as the plan names them. */
export function recipients(delivered: { [member: string]: Value }, have: { [id: string]: Value }): string[] {
  return Object.entries(delivered)
    .filter(([member, digest]) => isUnknown(digest) || have[member] !== digest)
    .map(([member]) => (member.startsWith("i-") ? member : `${member} (new)`));
}

/** How the plan's line says the app restarts after the file is written (the change's downtime). */
export const RESTARTS = ", then run ";

/** The digest every member should carry; the plan's own line says where the file goes and what restarts. */
export function desiredDelivery(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const spec = deliverySpec(node);
  const digest = deliveryDigest(spec, resolver);
  const delivered = Object.fromEntries(members(spec, resolver).map((m) => [m, digest]));
  const to = recipients(delivered, tagMap(observed?.attributes.delivered));
  const s = deliverySettings(spec);
  const then = s.restart ? `${RESTARTS}\`${s.restart}\`` : "";
  const notes = to.length
    ? [
        `deliver ${s.file} (owner ${s.owner}, mode ${s.mode}) to ${to.join(", ")} through SSM Run Command${then}`,
      ]
    : [];
  return { attributes: { delivered }, notes };
}
