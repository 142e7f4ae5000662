import { GetBucketLocationCommand, GetBucketWebsiteCommand, paginateListBuckets } from "@aws-sdk/client-s3";
import type { GetBucketWebsiteCommandOutput } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { isAwsError } from "../errors.js";
import { COPYING_TAG } from "./copy.js";
import { bucketOutputs, regionFromLocation } from "./naming.js";
import { holdsObjects } from "./objects.js";
import { TYPE, bucketSpec } from "./schema.js";
import { readTags } from "./tagging.js";

/**
 * S3 has no batch tag API (GetBucketTagging takes one bucket), so finding the buckets this
 * environment owns costs one call per bucket in the account. Bounded, to stay well under S3's
 * control-plane request rates in accounts with hundreds of buckets.
 */
const TAG_READS_IN_PARALLEL = 8;

type Listed = { name: string; region?: string };

/** A bucket in this region whose tags were read: what `claim` decides on. */
type Readable = { name: string; region?: string; tags: TagMap };

async function listBuckets(ctx: AwsContext): Promise<Listed[]> {
  const listed: Listed[] = [];
  for await (const page of paginateListBuckets({ client: ctx.s3 }, {})) {
    for (const bucket of page.Buckets ?? []) {
      if (bucket.Name)
        listed.push({ name: bucket.Name, ...(bucket.BucketRegion ? { region: bucket.BucketRegion } : {}) });
    }
  }
  return listed;
}

async function regionOf(ctx: AwsContext, bucket: string): Promise<string> {
  const location = await ctx.s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
  return regionFromLocation(location.LocationConstraint);
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
 * One ListBuckets for the account, then sub-reads per bucket (S3 has no batch API for any of
 * them): tags for every bucket in the environment's region (to find the ones this environment
 * owns, including ones the file dropped); location, website and one ListObjectsV2 (MaxKeys=1,
 * to know whether deleting it loses data) only for the buckets `claim` keeps.
 */
export async function observeBuckets(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const wanted = wantedBy(nodes, (n) => bucketSpec(n).name);
  const listed = await listBuckets(ctx);
  const limit = pLimit(TAG_READS_IN_PARALLEL);
  // Named in the file: where it is decides whether it can be managed from here at all.
  const regions = new Map(
    await Promise.all(
      listed
        .filter((b) => wanted.has(b.name))
        .map((b) => limit(async () => [b.name, await regionOf(ctx, b.name)] as const)),
    ),
  );
  const elsewhere = [...regions]
    .filter(([, region]) => region !== env.region)
    .map(([name, region]) => inOtherRegion(name, region, wanted.get(name) ?? ""));
  // Buckets this environment creates live in its region: the file's by their location, the others
  // by what ListBuckets says of them (when it says: moto does not).
  const here = listed.filter((b) => (regions.get(b.name) ?? b.region ?? env.region) === env.region);
  const readable = await Promise.all(
    here.map((b) =>
      limit(async (): Promise<Readable | undefined> => {
        const tags = await readTags(ctx, b.name);
        const region = regions.get(b.name);
        return tags && { name: b.name, ...(region ? { region } : {}), tags };
      }),
    ),
  );
  const claims = claim(
    readable.filter((b) => b !== undefined),
    {
      tagsOf: (b) => b.tags,
      keyOf: (b) => b.name,
      labelOf: (b) => `bucket ${b.name}`,
      wanted,
      env,
      followRenames: true,
    },
  );
  const observed = await Promise.all(
    claims.map(({ item, claim: owner }) => limit(() => observedBucket(ctx, item, owner))),
  );
  return [...elsewhere, ...observed];
}

async function observedBucket(ctx: AwsContext, bucket: Readable, owner: Claim): Promise<ObservedNode> {
  const [region, website, hasObjects] = await Promise.all([
    bucket.region ?? regionOf(ctx, bucket.name),
    readWebsite(ctx, bucket.name),
    holdsObjects(ctx.s3, bucket.name),
  ]);
  const objectCount = hasObjects ? 1 : 0;
  const copying = bucket.tags[COPYING_TAG];
  return {
    type: TYPE,
    ...claimed(owner),
    id: bucket.name,
    attributes: {
      name: bucket.name,
      region,
      website: websiteAttributes(website),
      tags: bucket.tags,
      contents: contentsAttribute(objectCount, copying),
    },
    outputs: bucketOutputs(bucket.name, region),
    details: {
      objectCount,
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
