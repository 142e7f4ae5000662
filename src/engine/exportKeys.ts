import type { EnvironmentInfo } from "./types.js";
import type { ExportItem } from "./types.js";

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
  listed: { kind: { key: string; shape: "map" | "single" }; exporter: { keyNoise?: string[] } };
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
  const envWords = [
    ...new Set([
      ...ENVIRONMENT_WORDS,
      ...words(env.environment),
      ...(env.project !== undefined ? words(env.project) : []),
    ]),
  ];
  // A word every entry's name has (`shop-prod-…`) tells them apart from nothing.
  const named = (u: U) => u.items[0]?.key ?? u.entryName;
  const entries = units.filter((u) => u.listed.kind.shape === "map");
  const wordSets = entries.map((u) => new Set(words(named(u))));
  const common =
    entries.length > 1 ? [...(wordSets[0] ?? [])].filter((w) => wordSets.every((set) => set.has(w))) : [];
  for (const group of byKind.values()) {
    const full = (u: U) => camel(words(named(u))) || "main";
    const without = (u: U, noise: string[]) => camel(words(named(u)).filter((w) => !noise.includes(w)));
    const short = (u: U) => {
      const context = [...envWords, ...common];
      return (
        without(u, [...context, ...(u.listed.exporter.keyNoise ?? [])]) ||
        without(u, context) ||
        without(u, [...envWords]) ||
        full(u)
      );
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
