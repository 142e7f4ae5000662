import type { ObservedNode, Value } from "../model/index.js";
import { isPlainObject, isSensitive } from "../model/index.js";

/** Shorter outputs ("web", "80") would match ordinary values by chance. */
const SHORTEST_EXACT = 3;
/** Only long outputs (DNS names, ARNs) are replaced inside longer strings (a URL, a CORS list). */
const SHORTEST_INSIDE = 12;
/** Where a resource lives is not which resource it is: `us-west-1` must not read as a certificate. */
const LOCATION_OUTPUTS = new Set(["region"]);

/**
 * Reads one side's live values as that side's addresses: every id, ARN, name or DNS name a
 * resource of the side outputs becomes its address (`sg-0ab…` → `securityGroups.alb`), and inside a
 * longer string `${address.output}` (`http://${buckets.frontend.websiteDomain}`). Two environments
 * wired the same way then read the same, whatever their ids.
 */
export function liveReferences(observed: ObservedNode[]): (value: Value) => Value {
  const exact = new Map<string, string>();
  const inside: [string, string][] = [];
  const ambiguous = new Set<string>();
  for (const node of observed) {
    if (!node.address) continue;
    for (const [key, output] of Object.entries(node.outputs)) {
      if (typeof output !== "string" || output.length < SHORTEST_EXACT || LOCATION_OUTPUTS.has(key)) continue;
      const known = exact.get(output);
      // A value two resources output (a shared VPC id) names neither.
      if (known !== undefined && known !== node.address) ambiguous.add(output);
      else exact.set(output, node.address);
      if (output.length >= SHORTEST_INSIDE) inside.push([output, `\${${node.address}.${key}}`]);
    }
  }
  for (const value of ambiguous) exact.delete(value);
  const usable = inside.filter(([value]) => !ambiguous.has(value)).sort((x, y) => y[0].length - x[0].length);

  const mapString = (text: string): string => {
    const whole = exact.get(text) ?? exact.get(text.replace(/\.$/, ""));
    if (whole !== undefined) return whole;
    let out = text;
    for (const [value, reference] of usable) if (out.includes(value)) out = out.split(value).join(reference);
    return out;
  };
  const map = (value: Value): Value => {
    if (typeof value === "string") return mapString(value);
    if (Array.isArray(value)) return resorted(value, value.map(map));
    if (isPlainObject(value) && !isSensitive(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
    }
    return value;
  };
  return map;
}

function byText(x: Value, y: Value): number {
  const [a, b] = [JSON.stringify(x), JSON.stringify(y)];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A list the kind sorted (a set, as AWS treats it) stays sorted once its ids read as addresses. */
function resorted(before: Value[], after: Value[]): Value[] {
  const sorted = before.every((v, i) => i === 0 || byText(before[i - 1] ?? null, v) <= 0);
  return sorted ? [...after].sort(byText) : after;
}
