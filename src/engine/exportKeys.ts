import type { EnvironmentInfo } from "./types.js";
import type { ExportItem } from "./exporting.js";

/** Words that name an environment rather than a resource's role (`webdev-alb-stg` → `webdevAlb` → …). */
const ENVIRONMENT_WORDS = [
  "dev",
  "development",
  "stg",
  "stage",
  "staging",
  "prod",
  "production",
  "test",
  "qa",
];

type Keyed = {
  entryName: string;
  items: ExportItem[];
  listed: { kind: { key: string }; exporter: { keyNoise?: string[] } };
};

function words(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+/)
    .flatMap((w) => w.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function camel(parts: string[]): string {
  return parts.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}

/** The key a managed resource's `parity:address` records: `loadBalancers.web` → `web`. */
function recordedKey(unit: Keyed): string | undefined {
  const address = unit.items.find((i) => i.address !== undefined)?.address;
  const match = address?.match(/^[^.]+\.([A-Za-z0-9_-]+)/);
  return match?.[1];
}

/**
 * A short key per entry, unambiguous within its kind: a managed resource keeps the key its tags
 * record; others take the words of their name that say what it is (`khorium-staging-alb-sg` →
 * `alb`), or all of them when that is empty or taken. Keys can be renamed afterwards: adoption is
 * by name.
 */
export function keysFor<U extends Keyed>(units: U[], env: EnvironmentInfo): Map<U, string> {
  const keys = new Map<U, string>();
  const byKind = new Map<string, U[]>();
  for (const unit of units)
    byKind.set(unit.listed.kind.key, [...(byKind.get(unit.listed.kind.key) ?? []), unit]);
  const envWords = new Set([
    ...ENVIRONMENT_WORDS,
    ...words(env.environment),
    ...(env.project !== undefined ? words(env.project) : []),
  ]);
  for (const group of byKind.values()) {
    const named = (u: U) => u.items[0]?.key ?? u.entryName;
    const full = (u: U) => camel(words(named(u))) || "main";
    const short = (u: U) => {
      const noise = new Set([...envWords, ...(u.listed.exporter.keyNoise ?? [])]);
      return camel(words(named(u)).filter((w) => !noise.has(w))) || full(u);
    };
    const proposed = new Map(group.map((u) => [u, recordedKey(u) ?? short(u)]));
    const counts = new Map<string, number>();
    for (const key of proposed.values()) counts.set(key, (counts.get(key) ?? 0) + 1);
    const used = new Set<string>();
    for (const unit of group) {
      let key = proposed.get(unit) ?? full(unit);
      if ((counts.get(key) ?? 0) > 1 && recordedKey(unit) === undefined) key = full(unit);
      let n = 2;
      const base = key;
      while (used.has(key)) key = `${base}${n++}`;
      used.add(key);
      keys.set(unit, key);
    }
  }
  return keys;
}
