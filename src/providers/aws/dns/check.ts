import type { KindProblem } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { inZone, normaliseName, recordKey } from "./canonical.js";
import { dnsSpec } from "./schema.js";

/** What the schema cannot say: names inside the zone, one entry per name and type, alias rules. */
export function checkDns(_address: string, value: { [key: string]: Value }): KindProblem[] {
  const { zone, records } = dnsSpec({ spec: value });
  const problems: KindProblem[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const key = recordKey(r.name, r.type);
    if (!inZone(r.name, zone)) {
      problems.push({
        path: ["records", i, "name"],
        message: `${r.name} is not inside the zone ${zone}`,
        hint: `write the full name, e.g. app.${normaliseName(zone)}`,
      });
    }
    if (seen.has(key)) problems.push({ path: ["records", i], message: `duplicate record ${key}` });
    seen.add(key);
    if (r.alias !== undefined && r.type !== "A" && r.type !== "AAAA") {
      problems.push({ path: ["records", i, "type"], message: "an alias record must be of type A or AAAA" });
    }
    if (r.alias !== undefined && r.ttl !== undefined) {
      problems.push({
        path: ["records", i, "ttl"],
        message: "an alias record has no ttl (the target's applies)",
      });
    }
    if (r.type === "CNAME" && normaliseName(r.name) === normaliseName(zone)) {
      problems.push({
        path: ["records", i, "type"],
        message: "a CNAME cannot be at the zone apex",
        hint: "use an A alias record",
      });
    }
    if (r.type === "CNAME" && (r.values?.length ?? 0) > 1) {
      problems.push({ path: ["records", i, "values"], message: "a CNAME has exactly one value" });
    }
  });
  return problems;
}
