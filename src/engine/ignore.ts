import type { Attrs, DesiredNode, ObservedNode, Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { groupOf } from "./graph.js";

/** `count` in `ignoreChanges`: the group's size is another writer's (an autoscaler's). */
export const COUNT = "count";

/**
 * What `ignoreChanges: [count]` leaves as it is, once the group exists: members the file has that
 * do not exist live are not created, and live members beyond the file's count are kept (`extras`,
 * whose outputs still answer references to the group). A group that does not exist yet is created
 * as the file says, as Terraform creates what it then ignores.
 */
export function keptMembers(
  nodes: DesiredNode[],
  observed: ObservedNode[],
): { skip: Set<string>; extras: Map<string, ObservedNode[]> } {
  const skip = new Set<string>();
  const extras = new Map<string, ObservedNode[]>();
  const groups = new Map<string, DesiredNode[]>();
  for (const node of nodes) {
    if (!node.ignoreChanges?.includes(COUNT)) continue;
    groups.set(node.group, [...(groups.get(node.group) ?? []), node]);
  }
  for (const [group, members] of groups) {
    const type = members[0]?.type;
    const live = observed.filter(
      (o) => o.managed && o.type === type && o.address !== undefined && groupOf(o.address) === group,
    );
    if (live.length === 0) continue;
    const liveAt = new Set(live.map((o) => o.address));
    const inFile = new Set(members.map((n) => n.address));
    for (const node of members) if (!liveAt.has(node.address)) skip.add(node.address);
    const beyond = live.filter((o) => !inFile.has(o.address as string));
    if (beyond.length > 0) extras.set(group, beyond);
  }
  return { skip, extras };
}

function valueAt(attrs: Attrs | undefined, parts: string[]): Value | undefined {
  let at: Value | undefined = attrs;
  for (const part of parts) at = isPlainObject(at) ? at[part] : undefined;
  return at;
}

function withValue(attrs: Attrs, parts: string[], value: Value | undefined): Attrs {
  const [head, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) {
    const { [head]: _dropped, ...others } = attrs;
    return value === undefined ? others : { ...others, [head]: value };
  }
  const inner = attrs[head];
  if (!isPlainObject(inner)) return attrs;
  return { ...attrs, [head]: withValue(inner, rest, value) };
}

/**
 * The attributes an update sends: what the file asks for, except at the ignored paths, which keep
 * their live value (or are left out where AWS has none), so no update writes them back. `""`
 * ignores the whole resource: it is kept exactly as it is.
 */
export function keepIgnored(
  desired: Attrs,
  observed: Attrs | undefined,
  ignored: string[] | undefined,
): Attrs {
  if (!ignored?.length) return desired;
  if (ignored.includes("")) return observed ?? desired;
  let out = desired;
  for (const path of ignored) {
    if (path === COUNT || path.includes("[]")) continue;
    const parts = path.split(".");
    out = withValue(out, parts, valueAt(observed, parts));
  }
  return out;
}
