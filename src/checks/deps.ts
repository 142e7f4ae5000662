import { groupOf } from "../engine/graph.js";
import { makeResolver } from "../engine/resolver.js";
import type { EnvironmentInfo } from "../engine/types.js";
import type { ObservedNode, Value } from "../model/index.js";

function owned(observed: ObservedNode[]): ObservedNode[] {
  return observed.filter((o) => o.managed && o.address);
}

/**
 * Target group ARNs from discovered state: what `resolveTargetGroupArn` needs when the caller
 * has just planned (or re-read after apply). Only resources this environment owns count.
 */
export function targetGroupArnsFrom(observed: ObservedNode[]): (ref: string) => string | undefined {
  return (ref) => {
    const found = owned(observed).find((o) => o.address === ref);
    const arn = found?.outputs.arn;
    return typeof arn === "string" && arn ? arn : undefined;
  };
}

/**
 * `${kind.name.attribute}` in check URLs, headers and bodies, resolved against live outputs.
 * What cannot be resolved is left as written, so the check reports it instead of calling a
 * half-built URL.
 */
export function interpolatorFrom(observed: ObservedNode[], env: EnvironmentInfo): (text: string) => string {
  const byGroup = new Map<string, { [key: string]: Value }[]>();
  for (const o of owned(observed)) {
    const group = o.group ?? groupOf(o.address as string);
    byGroup.set(group, [...(byGroup.get(group) ?? []), o.outputs]);
  }
  const resolver = makeResolver(byGroup, {}, env);
  return (text) => {
    const value = resolver.interpolate(text);
    return typeof value === "string" ? value : text;
  };
}
