import type { EnvironmentInfo, Operation, Outputs } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import { movedAddress } from "../../../engine/moves.js";
import type { AwsContext } from "../context.js";
import { dependsOnTags, recordedDependencies } from "./dependencies.js";
import { TAG_PROTECT, changedTags, ownershipOf, ownershipTags } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/** How a kind writes tags onto one of its resources; `current` is for APIs that replace the whole set. */
export type Tagger = (ctx: AwsContext, id: string, tags: TagMap, current: TagMap) => Promise<void>;

/** Where a listed resource sits in the plan, decided the same way for every kind. */
export type Claim = {
  address: string;
  managed: boolean;
  protect: boolean;
  /** Set when the file names a resource another parity environment owns: the plan refuses it. */
  foreign?: { what: string; owner: string };
  /** Ours by the legacy rule (tagged before projects and regions): the plan re-tags it. */
  legacy?: boolean;
  /** What it depended on when parity last wrote it (common/dependencies.ts). */
  dependsOn?: string[];
  /** The address its tags record, when a `moved` entry of the file puts it at `address`. */
  movedFrom?: string;
};

export type ClaimRules<T> = {
  tagsOf(item: T): TagMap;
  /** The name (or other key) by which the file may adopt it; see `wantedBy`. */
  keyOf(item: T): string | undefined;
  /** How a refusal names it: `security group web-sg`. */
  labelOf(item: T): string;
  /** key → the address that names it in the file. */
  wanted: Map<string, string>;
  env: EnvironmentInfo;
  /**
   * The key names the resource for good (a bucket's global name): when the file names one of ours
   * at another address, the entry was renamed, and the resource is adopted there rather than
   * deleted and made again under the same name.
   */
  followRenames?: boolean;
  /**
   * For kinds without a key (distributions, AMIs): whether a legacy resource is the one the file
   * has at `address` (same aliases, same source instance). Without it, a keyless legacy resource
   * is never taken: its address alone could be a sibling file's.
   */
  legacyIdentity?(item: T, address: string): boolean;
};

/** The file's adoption keys for a kind: `keyOf(node)` → the node's address. */
export function wantedBy(nodes: DesiredNode[], keyOf: (node: DesiredNode) => string | undefined) {
  const wanted = new Map<string, string>();
  for (const node of nodes) {
    const key = keyOf(node);
    if (key !== undefined) wanted.set(key, node.address);
  }
  return wanted;
}

/**
 * Decides for every live resource a kind listed whether the plan sees it, and as what: ours at the
 * address its tags record; nobody's but named by the file — an adoption (the first such resource
 * only: names are unique in AWS, an emulator may hold two); another environment's but named by the
 * file — kept, so the plan can refuse it naming the owner. A legacy resource (tagged with the
 * environment's name only) is ours only where the file names it, by its key, at the address it
 * records; the file naming it elsewhere is a refusal, and one the file does not name is left alone
 * (it may be a sibling file's). Anything else is none of our business.
 */
export function claim<T>(items: T[], rules: ClaimRules<T>): { item: T; claim: Claim }[] {
  const out: { item: T; claim: Claim }[] = [];
  const adopted = new Set<string>();
  for (const item of items) {
    const owner = ownershipOf(rules.tagsOf(item), rules.env);
    const key = rules.keyOf(item);
    const address = key === undefined ? undefined : rules.wanted.get(key);
    if (owner.status === "ours") {
      // A `moved` entry says where the file now has it: re-tagged there, never replaced.
      const moved = movedAddress(owner.address, rules.env.moves);
      const current = moved ?? owner.address;
      const renamed = rules.followRenames && address !== undefined && address !== current;
      const recorded = recordedDependencies(rules.tagsOf(item));
      out.push({
        item,
        claim: {
          ...(renamed
            ? { address, managed: false, protect: owner.protect }
            : { address: current, managed: true, protect: owner.protect }),
          ...(moved !== undefined && !renamed ? { movedFrom: owner.address } : {}),
          ...(recorded !== undefined ? { dependsOn: recorded } : {}),
        },
      });
      continue;
    }
    if (owner.status === "legacy") {
      const found = claimLegacy(item, owner, key, address, rules);
      if (found) out.push({ item, claim: found });
      continue;
    }
    if (address === undefined) continue;
    if (owner.status === "foreign") {
      const foreign = { what: rules.labelOf(item), owner: owner.owner };
      out.push({ item, claim: { address, managed: false, protect: false, foreign } });
    } else if (!adopted.has(address)) {
      adopted.add(address);
      out.push({ item, claim: { address, managed: false, protect: false } });
    }
  }
  return out;
}

function claimLegacy<T>(
  item: T,
  owner: { address: string; protect: boolean },
  key: string | undefined,
  named: string | undefined,
  rules: ClaimRules<T>,
): Claim | undefined {
  const ours = { address: owner.address, managed: true, protect: owner.protect, legacy: true };
  if (key === undefined) return rules.legacyIdentity?.(item, owner.address) ? ours : undefined;
  if (named === undefined) return undefined;
  if (named === owner.address) return ours;
  const what = rules.labelOf(item);
  const recorded = `the parity environment "${rules.env.environment}" at ${owner.address} (tagged before projects and regions)`;
  return { address: named, managed: false, protect: false, foreign: { what, owner: recorded } };
}

/** The ownership fields of an observed node, from its claim. */
export function claimed(
  c: Claim,
): Pick<ObservedNode, "address" | "managed" | "protect" | "foreign" | "legacy" | "dependsOn" | "movedFrom"> {
  return {
    address: c.address,
    managed: c.managed,
    protect: c.protect,
    ...(c.foreign !== undefined ? { foreign: c.foreign } : {}),
    ...(c.legacy ? { legacy: true } : {}),
    ...(c.dependsOn !== undefined ? { dependsOn: c.dependsOn } : {}),
    ...(c.movedFrom !== undefined ? { movedFrom: c.movedFrom } : {}),
  };
}

/** Tags back from attributes (desired or observed), as every kind holds them. */
export function tagsOf(value: unknown): TagMap {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as TagMap) : {};
}

/** Adopting is claiming, then converging like any update: ownership first, so a crash never leaves it half-ours. */
export function claimThenUpdate(
  tagger: Tagger,
  update: (ctx: AwsContext, op: Operation) => Promise<Outputs>,
): (ctx: AwsContext, op: Operation) => Promise<Outputs> {
  return async (ctx, op) => {
    const node = op.node;
    const observed = op.observed;
    if (!node || !observed)
      throw new Error("adopt needs the resource's entry in the file and its live state");
    const current = tagsOf(observed.attributes.tags);
    // A resource renamed in the file keeps its recorded protection unless the file drops it.
    const ownership = {
      ...ownershipTags(op.env, node.address, node.protect, current[TAG_PROTECT] === "true"),
      ...dependsOnTags(node),
    };
    await tagger(ctx, observed.id, ownership, current);
    // The update sees the tags as they now are, so an API that replaces the whole set keeps ours.
    const tags = { ...current, ...ownership };
    return update(ctx, { ...op, observed: { ...observed, attributes: { ...observed.attributes, tags } } });
  };
}

/**
 * Writes the file's tags that the live resource lacks or holds with another value, and returns the
 * tags it now carries (what a later write to an API that replaces the whole set must keep).
 */
export async function syncTags(ctx: AwsContext, tagger: Tagger, op: Operation): Promise<TagMap> {
  const observed = op.observed;
  if (!observed) return {};
  const have = tagsOf(observed.attributes.tags);
  // The record of what it depends on follows the file, so a later delete runs in today's order.
  const record = op.node ? dependsOnTags(op.node) : {};
  const want = changedTags({ ...tagsOf(op.desired?.tags), ...record }, have);
  if (Object.keys(want).length > 0) await tagger(ctx, observed.id, want, have);
  return { ...have, ...want };
}
