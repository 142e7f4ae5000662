import type { EnvironmentInfo } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { batcher, batcherOf } from "./batching.js";
import type { Batcher } from "./batching.js";
import { TAG_BATCH, describeTags } from "./elbv2.js";
import { TAG_PROTECT, ownershipOf } from "./ownership.js";
import type { TagMap } from "./ownership.js";
import { environmentResources, resourcesOf } from "./tagged.js";

/** Application load balancers and target groups, as the tagging API names them. */
export const LOAD_BALANCER_ARN = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:loadbalancer\/(app\/.+)$/;
export const TARGET_GROUP_ARN = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:targetgroup\/(.+)$/;

/** The ELBv2 resources of one type the tagging API lists with this environment's name: ARN → tags. */
export async function taggedElbv2(
  ctx: AwsContext,
  env: EnvironmentInfo,
  pattern: RegExp,
): Promise<Map<string, TagMap>> {
  const found = resourcesOf(await environmentResources(ctx, env), "elasticloadbalancing", pattern);
  return new Map(found.map(({ arn, tags }) => [arn, tags]));
}

/**
 * Whether any of them is this environment's: when none is and the file has none, nothing is listed
 * (the index's lag is the trade-off `ownsAny` describes).
 */
export function anyOurs(tagged: Map<string, TagMap>, env: EnvironmentInfo): boolean {
  return [...tagged.values()].some((tags) => ownershipOf(tags, env).status === "ours");
}

/**
 * How long a service tag read waits for others: load balancers and target groups are listed at
 * the same time, so their reads usually share one DescribeTags (it takes both kinds of ARN).
 */
const GATHER_MS = 10;

const serviceReaders = new WeakMap<AwsContext, Batcher<TagMap>>();

async function serviceTags(ctx: AwsContext, arns: string[]): Promise<Map<string, TagMap>> {
  const reader = batcherOf(serviceReaders, ctx, () =>
    batcher((keys) => describeTags(ctx, keys), { gatherMs: GATHER_MS, maxKeys: TAG_BATCH }),
  );
  const tags = await Promise.all(arns.map((arn) => reader.read(arn)));
  return new Map(arns.map((arn, i) => [arn, tags[i] ?? {}]));
}

/** A listed resource: its ARN and the name by which the file may adopt it. */
export type Listed = { arn: string; name: string | undefined };

/** What decides where each listed resource's tags come from. */
export type TagSources = {
  /** The tagging API's answer for this type (`taggedElbv2`). */
  tagged: Map<string, TagMap>;
  /** name → the address that names it in the file. */
  wanted: Map<string, string>;
  /** The names the file protects. */
  protectedNames: Set<string>;
};

/**
 * The tags that decide the claim of every listed resource that may be the plan's business. The
 * tagging API's tags of the file's unprotected resources of ours, at the address the file gives
 * them, are enough. The service's own are read (DescribeTags, in shared batches of 20) for a name
 * the file uses that the index does not list as ours (an adoption, or a refusal naming the owner),
 * for one of ours the file dropped or moved (its deletion is decided on them), and for anything
 * protected. A resource neither named by the file nor listed as ours is left out: none of ours, or
 * one made so recently that the index does not list it yet, which the next plan sees (`ownsAny`).
 */
export async function tagsForClaims(
  ctx: AwsContext,
  env: EnvironmentInfo,
  listed: Listed[],
  sources: TagSources,
): Promise<Map<string, TagMap>> {
  const out = new Map<string, TagMap>();
  const unread: string[] = [];
  for (const { arn, name } of listed) {
    const indexed = sources.tagged.get(arn);
    const address = name === undefined ? undefined : sources.wanted.get(name);
    const owner = indexed ? ownershipOf(indexed, env) : undefined;
    const ours = owner?.status === "ours";
    const isProtected =
      (name !== undefined && sources.protectedNames.has(name)) || indexed?.[TAG_PROTECT] === "true";
    if (ours && owner.address === address && !isProtected && indexed) out.set(arn, indexed);
    else if (ours || address !== undefined) unread.push(arn);
  }
  for (const [arn, tags] of await serviceTags(ctx, unread)) out.set(arn, tags);
  return out;
}
