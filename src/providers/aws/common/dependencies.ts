/** A resource's tags by key (ownership.ts's TagMap, which imports this file). */
type TagMap = Record<string, string>;

/**
 * What a resource depended on when parity wrote it (`securityGroups.alb loadBalancers.web`), so a
 * resource the file no longer lists is deleted before what it used, without the file to say so.
 */
export const TAG_DEPENDS_ON = "parity:depends-on";

/** AWS's tag value limit, the tightest of the services parity tags. */
const MAX_TAG_VALUE = 256;
/** Ends a record that did not fit: what it lists is only part of what the resource used. */
const PARTIAL = "+";

/** The record of `dependsOn`, as many addresses as fit, `+` last when some did not. */
export function dependsOnValue(dependsOn: string[]): string {
  const all = [...new Set(dependsOn)].sort();
  const kept: string[] = [];
  for (const address of all) {
    const next = [...kept, address].join(" ");
    if (next.length + PARTIAL.length + 1 > MAX_TAG_VALUE) return [...kept, PARTIAL].join(" ");
    kept.push(address);
  }
  return kept.join(" ");
}

/**
 * The tag recording what a node uses, written beside the ownership tags: its creation dependencies
 * and the groups it only refers to (a rule naming another group must go before that group does).
 * A resource that uses nothing carries none: some services refuse an empty tag value, and no
 * record orders it the same.
 */
export function dependsOnTags(node: { group?: string; dependsOn?: string[]; refersTo?: string[] }): TagMap {
  const used = [...(node.dependsOn ?? []), ...(node.refersTo ?? [])].filter((a) => a !== node.group);
  return used.length === 0 ? {} : { [TAG_DEPENDS_ON]: dependsOnValue(used) };
}

/**
 * What a live resource's record says it depended on; undefined when there is no complete record
 * (written before parity kept them, or cut short), so deletion falls back to the kinds' order.
 */
export function recordedDependencies(tags: TagMap): string[] | undefined {
  const value = tags[TAG_DEPENDS_ON];
  if (value === undefined) return undefined;
  const addresses = value.split(" ").filter(Boolean);
  return addresses.includes(PARTIAL) ? undefined : addresses;
}
