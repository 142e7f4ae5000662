import { isIP } from "node:net";

/** How many CNAMEs a lookup follows before calling it a loop. */
export const MAX_CNAME_HOPS = 8;

/** DNS names compare without case and without the root's trailing dot. */
export function hostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** An address, in one spelling per address (IPv6 case). */
export function address(value: string): string {
  return value.trim().toLowerCase();
}

export function isAddress(value: string): boolean {
  return isIP(value.trim()) !== 0;
}

/** A TXT value as written in a zone (`"v=spf1 " "-all"`) or a file, as the text it carries. */
export function txtText(value: string): string {
  const chunks = [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? "").replace(/\\(.)/g, "$1"));
  return chunks.length ? chunks.join("") : value;
}

/** "a → CNAME b → A 1.2.3.4": what a lookup saw, for the report. */
export function trail(name: string, chain: string[], type: string, values: string[]): string {
  const hops = chain.map((c) => ` → CNAME ${c}`).join("");
  const end = values.length
    ? ` → ${type} ${values.join(", ")}`
    : type === "CNAME" && chain.length
      ? ""
      : ` → no ${type} record`;
  return `${name}${hops}${end}`;
}
