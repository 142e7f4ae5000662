import { GetBucketLocationCommand, GetBucketWebsiteCommand } from "@aws-sdk/client-s3";
import type { GetBucketWebsiteCommandOutput } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import { TAG_REGION } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { listedTagsSuffice } from "../common/claimTags.js";
import { environmentResources, resourcesOf } from "../common/tagged.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { COPYING_TAG } from "./copy.js";
import { bucketOutputs, regionFromLocation } from "./naming.js";
import { holdsObjects } from "./objects.js";
import { TYPE, bucketSpec } from "./schema.js";
import { readTags } from "./tagging.js";

/** Reads of S3 in flight at once: well under S3's control-plane request rates. */
const READS_IN_PARALLEL = 8;

/**
 * A bucket's own reads, made at once: where it is, its tags, its website, and whether it holds
 * objects where the plan can use that (`hasObjects` is undefined where it was not asked).
 */
type Read = { name: string; region: string; tags: TagMap; website: Website; hasObjects?: boolean };
type Website = GetBucketWebsiteCommandOutput | undefined;
type Elsewhere = { name: string; region: string; elsewhere: true };

/**
 * What to read of one bucket besides its location and website: its tags (S3's own unless the
 * tagging API's may stand in, which is known only once that answers), and whether it is empty.
 */
type Wanted = {
  tags: () => Promise<TagMap | undefined>;
  /** Its region when its tags say it without a read: ours, made or adopted here, so it is here. */
  knownRegion: () => Promise<string | undefined>;
  contents: boolean;
};

/** The buckets the tagging API lists for this environment: `arn:aws:s3:::name`. */
const BUCKET_ARN = /^arn:[^:]+:s3:::([^/]+)$/;

async function regionOf(ctx: AwsContext, bucket: string): Promise<string | undefined> {
  const location = await tolerate(
    () => ctx.s3.send(new GetBucketLocationCommand({ Bucket: bucket })),
    "NoSuchBucket",
  );
  return location && regionFromLocation(location.LocationConstraint);
}

/**
 * One bucket's reads in parallel rather than in a chain (S3 has no batch API for any of them):
 * undefined when it does not exist. The reads other than its location are only asked of this
 * region's S3, so they fail for a bucket elsewhere, which then has only its region. The location
 * is not read where the bucket's tags already say it is here.
 */
async function readBucket(
  ctx: AwsContext,
  name: string,
  wanted: Wanted,
): Promise<Read | Elsewhere | undefined> {
  const contents = wanted.contents ? holdsObjects(ctx.s3, name) : Promise.resolve(undefined);
  // Settled either way: a read that fails because the bucket is elsewhere is not wanted.
  const rest = Promise.all([wanted.tags(), readWebsite(ctx, name), contents]).then(
    (answers) => ({ answers }),
    (error: unknown) => ({ error }),
  );
  const region = wanted.knownRegion().then((known) => known ?? regionOf(ctx, name));
  const [where, outcome] = await Promise.all([region, rest]);
  if (where === undefined) return undefined;
  if (where !== ctx.region) return { name, region: where, elsewhere: true };
  if ("error" in outcome) {
    // Deleted between the reads: nothing to observe.
    if (isAwsError(outcome.error, "NoSuchBucket")) return undefined;
    throw outcome.error;
  }
  const [tags, website, hasObjects] = outcome.answers;
  return tags && { name, region: where, tags, website, ...(hasObjects === undefined ? {} : { hasObjects }) };
}

async function readWebsite(
  ctx: AwsContext,
  bucket: string,
): Promise<GetBucketWebsiteCommandOutput | undefined> {
  try {
    return await ctx.s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
  } catch (error) {
    if (isAwsError(error, "NoSuchWebsiteConfiguration")) return undefined;
    throw error;
  }
}

/** The website configuration in the file's terms; null when the bucket serves no website. */
export function websiteAttributes(config: GetBucketWebsiteCommandOutput | undefined): Value {
  if (!config) return null;
  const out: Attrs = {};
  if (config.IndexDocument?.Suffix) out.indexDocument = config.IndexDocument.Suffix;
  out.errorDocument = config.ErrorDocument?.Key || null;
  if (config.RedirectAllRequestsTo?.HostName)
    out.redirectAllRequestsTo = config.RedirectAllRequestsTo.HostName;
  return out;
}

export function contentsAttribute(objectCount: number, copying: string | undefined): string {
  if (copying) return `incomplete copy from ${copying}`;
  return objectCount > 0 ? "has objects" : "empty";
}

/**
 * Buckets are found without listing the account: the ones the file names are read by name, the
 * ones the tagging API lists as this environment's (which finds the ones the file dropped) are
 * read too; each bucket's reads go out together, the file's while the tagging API answers.
 *
 * The tagging API's tags of the file's unprotected buckets of ours are enough; S3's own are read
 * for the rest, and `claim` decides on them: whether a bucket may be adopted, must be refused, or
 * (dropped from the file) deleted. Whether a bucket is empty is read only where it can change the
 * plan: for the buckets the file does not name (a deletion, or the old bucket of a replacement,
 * says whether it loses data) and for the ones it copies into (the change shows what they held).
 */
export async function observeBuckets(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const specs = nodes.map((n) => bucketSpec(n));
  const wanted = wantedBy(nodes, (n) => bucketSpec(n).name);
  const protectedInFile = new Set(nodes.filter((n) => n.protect).map((n) => n.address));
  const copiedInto = new Set(specs.filter((s) => s.copyFrom !== undefined).map((s) => s.name));
  const listing = environmentResources(ctx, env).then((tagged) => resourcesOf(tagged, "s3", BUCKET_ARN));
  // No promise derived from the listing ahead of time: one nobody awaits would fail unheard.
  const vouched = async (name: string): Promise<TagMap | undefined> => {
    const listed = (await listing).find((r) => r.id === name)?.tags;
    // Only at the address the file gives this name: a bucket of ours the file moved is read.
    const address = wanted.get(name);
    const here = new Set(address === undefined ? [] : [address]);
    return listedTagsSuffice(listed, env, here, protectedInFile) ? listed : undefined;
  };
  const fileBucket = (name: string): Wanted => ({
    tags: async () => (await vouched(name)) ?? readTags(ctx, name),
    // The tags record the region parity made or adopted it in; one elsewhere is never adopted.
    knownRegion: async () => {
      const region = (await vouched(name))?.[TAG_REGION];
      return region === ctx.region ? region : undefined;
    },
    contents: copiedInto.has(name) || ctx.options.fullShape === true,
  });
  const otherBucket = (name: string): Wanted => ({
    tags: () => readTags(ctx, name),
    knownRegion: () => Promise.resolve(undefined),
    contents: true,
  });
  const limit = pLimit(READS_IN_PARALLEL);
  const readAll = (names: string[], what: (name: string) => Wanted) =>
    Promise.all(names.map((name) => limit(() => readBucket(ctx, name, what(name)))));
  const [named, listed] = await Promise.all([readAll([...wanted.keys()], fileBucket), listing]);
  const dropped = [...new Set(listed.map((r) => r.id).filter((name) => !wanted.has(name)))];
  const found = [...named, ...(await readAll(dropped, otherBucket))].filter((b) => b !== undefined);
  const elsewhere = found
    .filter((b): b is Elsewhere => "elsewhere" in b)
    .filter((b) => wanted.has(b.name))
    .map((b) => inOtherRegion(b.name, b.region, wanted.get(b.name) ?? ""));
  const claims = claim(
    found.filter((b): b is Read => !("elsewhere" in b)),
    {
      tagsOf: (b) => b.tags,
      keyOf: (b) => b.name,
      labelOf: (b) => `bucket ${b.name}`,
      wanted,
      env,
      followRenames: true,
    },
  );
  return [...elsewhere, ...claims.map(({ item, claim: owner }) => observedBucket(item, owner))];
}

/**
 * `contents` where it is known: a copy an earlier version left unfinished (its tag says so), or
 * whether the bucket holds objects, where that was read.
 */
function contentsOf(bucket: Read): { contents?: string; objectCount?: number } {
  const copying = bucket.tags[COPYING_TAG];
  if (bucket.hasObjects === undefined) return copying ? { contents: contentsAttribute(0, copying) } : {};
  const objectCount = bucket.hasObjects ? 1 : 0;
  return { contents: contentsAttribute(objectCount, copying), objectCount };
}

function observedBucket(bucket: Read, owner: Claim): ObservedNode {
  const { name, region, website } = bucket;
  const { contents, objectCount } = contentsOf(bucket);
  const copying = bucket.tags[COPYING_TAG];
  return {
    type: TYPE,
    ...claimed(owner),
    id: name,
    attributes: {
      name,
      region,
      website: websiteAttributes(website),
      tags: bucket.tags,
      ...(contents === undefined ? {} : { contents }),
    },
    outputs: bucketOutputs(name, region),
    details: {
      ...(objectCount === undefined ? {} : { objectCount }),
      ...(copying ? { copying } : {}),
      ...(website?.RoutingRules?.length ? { routingRules: JSON.stringify(website.RoutingRules) } : {}),
    },
  };
}

/** A bucket the file names that cannot be managed here; desired() turns this into a plan error. */
function inOtherRegion(name: string, region: string, address: string): ObservedNode {
  return {
    type: TYPE,
    address,
    id: name,
    managed: false,
    attributes: { name, region },
    outputs: bucketOutputs(name, region),
    details: {},
  };
}
