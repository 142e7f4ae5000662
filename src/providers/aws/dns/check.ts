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
    (r.values ?? []).forEach((value, j) => {
      const bad = valueProblem(r.type, value);
      if (bad) problems.push({ path: ["records", i, "values", j], message: bad });
    });
  });
  return problems;
}

/** Route53 refuses a value that is not of its record's type (InvalidChangeBatch, half-way through an apply). */
function valueProblem(type: string, value: string): string | undefined {
  if (type === "A") {
    const octets = value.split(".");
    const valid = octets.length === 4 && octets.every((o) => /^[0-9]{1,3}$/.test(o) && Number(o) <= 255);
    return valid ? undefined : `"${value}" is not an IPv4 address, as an A record holds`;
  }
  if (type === "AAAA" && !/^[0-9A-Fa-f:.]+$/.test(value))
    return `"${value}" is not an IPv6 address, as an AAAA record holds`;
  if (type === "MX" && !/^[0-9]{1,5} \S+$/.test(value))
    return `"${value}" is not "priority host", as an MX record holds`;
  return undefined;
}
