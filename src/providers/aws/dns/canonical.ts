/**
 * Names and values in the form Route53 stores and compares them, so that the file's spelling
 * and Route53's answer meet in one comparable shape.
 */

export const DEFAULT_TTL = 300;

/**
 * Route53 names are case-insensitive, end in a dot, and come back with special characters
 * escaped as `\ddd` (a wildcard reads `\052`): all of that is spelling, not a difference.
 */
export function normaliseName(name: string): string {
  return name
    .trim()
    .replace(/\\(\d{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .toLowerCase()
    .replace(/\.$/, "");
}

export function recordKey(name: string, type: string): string {
  return `${normaliseName(name)}/${type.toUpperCase()}`;
}

export function recordAddress(name: string, type: string): string {
  return `dns.records[${recordKey(name, type)}]`;
}

/** True when `name` is the zone itself or a name inside it. */
export function inZone(name: string, zone: string): boolean {
  const n = normaliseName(name);
  const z = normaliseName(zone);
  return n === z || n.endsWith(`.${z}`);
}

function hostValue(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, "");
}

/** TXT values must be quoted strings of at most 255 characters each. */
function quoteTxt(value: string): string {
  if (/^".*"$/.test(value.trim())) return value.trim();
  const chunks = value.match(/[\s\S]{1,255}/g) ?? [""];
  return chunks.map((c) => `"${c.replace(/(["\\])/g, "\\$1")}"`).join(" ");
}

/** Values in the form Route53 stores and compares them, sorted: a record's values are a set. */
export function normaliseValues(type: string, values: string[]): string[] {
  const t = type.toUpperCase();
  const one = (v: string): string => {
    switch (t) {
      case "CNAME":
      case "NS":
      case "PTR":
        return hostValue(v);
      case "MX":
      case "SRV": {
        const parts = v.trim().split(/\s+/);
        const host = parts.pop() ?? "";
        return [...parts, hostValue(host)].join(" ");
      }
      case "TXT":
      case "SPF":
        return quoteTxt(v);
      case "AAAA":
        return v.trim().toLowerCase();
      default:
        return v.trim();
    }
  };
  return values.map(one).sort();
}
