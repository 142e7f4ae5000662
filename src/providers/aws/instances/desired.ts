import { sortIds } from "../common/lists.js";
import type { DesiredState, Facts, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode } from "../../../model/index.js";
import { userTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { tagMap } from "../common/readers.js";
import { networkFacts } from "../network.js";
import { desiredImage } from "./imageChoice.js";
import { missingKeyPair } from "./keyPairs.js";
import { TAG_SNAPSHOT } from "./markers.js";
import { memberSpec } from "./schema.js";
import type { MemberSpec } from "./schema.js";

/**
 * The member the file asks for. `image` and `subnet` are chosen per member (imageChoice.ts and
 * `desiredSubnet`), so an existing member that already satisfies the file is never replaced for them.
 */
export function desiredInstance(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const s = memberSpec(node);
  const errors: { message: string; hint?: string }[] = [];
  const image = desiredImage(s, node.group, resolver, observed);
  if (image.error) errors.push(image.error);
  const attributes: Attrs = { type: s.type, image: image.value };
  if (s.keyName !== undefined) {
    attributes.keyName = s.keyName;
    // Only a member that launches needs the key pair now; a running one keeps the key it has.
    const launches = !observed || observed.attributes.keyName !== s.keyName;
    const missing = launches ? missingKeyPair(s.keyName, resolver.facts, resolver.env.region) : undefined;
    if (missing) errors.push(missing);
  }
  if (s.securityGroups) {
    attributes.securityGroups = sortIds(
      s.securityGroups.map((ref) => (ref.startsWith("sg-") ? ref : resolver.output(ref, "id"))),
    );
  }
  const observedSubnet =
    typeof observed?.attributes.subnet === "string" ? observed.attributes.subnet : undefined;
  const subnet = desiredSubnet(s.subnets, environmentSubnets(resolver.facts), s.index, observedSubnet);
  if (subnet) attributes.subnet = subnet;
  attributes.tags = desiredTags(s, resolver, observed);

  const adoptId = s.adopt?.[s.index];
  if (adoptId && !observed) {
    errors.push({
      message: `${adoptId} (adopt[${s.index}]) was not found pending, running or stopped in ${resolver.env.region}, or is already managed under another address`,
      hint: "remove it from adopt to launch a new instance in its place",
    });
  }
  // The marker is parity's record, written with the instance: never a difference in the plan.
  return { attributes, bookkeeping: [`tags.${TAG_SNAPSHOT}`], ...(errors.length ? { errors } : {}) };
}

/** The file's tags, plus `snapshotBeforeChange` recorded on the instance (cleared, once recorded, to "false"). */
function desiredTags(s: MemberSpec, resolver: Resolver, observed: ObservedNode | undefined): TagMap {
  const tags = userTags(resolver.env, s.tags);
  const name = memberName(s.names, s.index);
  if (name !== undefined) tags.Name = name;
  const recorded = tagMap(observed?.attributes.tags)[TAG_SNAPSHOT];
  if (s.snapshotBeforeChange === true) tags[TAG_SNAPSHOT] = "true";
  else if (recorded !== undefined) tags[TAG_SNAPSHOT] = "false";
  return tags;
}

/** A member's own Name: its entry in `names`, or past the list the first name and its number (`web-3`). */
export function memberName(names: string[] | undefined, index: number): string | undefined {
  if (!names || names.length === 0) return undefined;
  return names[index] ?? `${names[0]}-${index + 1}`;
}

export function environmentSubnets(facts: Facts): string[] {
  return networkFacts(facts).subnets.map((s) => s.id);
}

/**
 * Where a member lives. Listed `subnets` are a placement set: an existing member in any of them
 * is in place (reordering the list replaces nothing), a member elsewhere is moved, and new members
 * are spread round-robin by index. Without `subnets` the spread over the environment's subnets is a
 * default, not a wish: existing members are not compared (undefined), only new ones are placed.
 */
export function desiredSubnet(
  explicit: string[] | undefined,
  environmentSubnets: string[],
  index: number,
  observedSubnet: string | undefined,
): string | undefined {
  if (explicit && explicit.length > 0) {
    if (observedSubnet && explicit.includes(observedSubnet)) return observedSubnet;
    return explicit[index % explicit.length];
  }
  if (observedSubnet !== undefined) return undefined;
  return launchSubnet(undefined, environmentSubnets, index);
}

/** The subnet a new member is launched in: round-robin over the file's subnets or the environment's. */
export function launchSubnet(
  explicit: string[] | undefined,
  environmentSubnets: string[],
  index: number,
): string {
  const list = explicit && explicit.length > 0 ? explicit : environmentSubnets;
  const subnet = list[index % list.length];
  if (!subnet) throw new Error("the environment has no subnets to launch instances in");
  return subnet;
}
