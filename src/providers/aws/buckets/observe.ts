import {
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  PutBucketTaggingCommand,
  paginateListBuckets,
} from "@aws-sdk/client-s3";
import type { GetBucketWebsiteCommandOutput } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { isAwsError } from "../errors.js";
import { TAG_ENVIRONMENT, fromAwsTags, ownedElsewhere, ownership, toAwsTags } from "../tags.js";
import { bucketOutputs, regionFromLocation } from "./naming.js";
import { holdsObjects } from "./objects.js";

export const TYPE = "buckets";

/**
 * Set on a bucket while apply copies objects into it, removed when the copy is complete. A copy
 * that was interrupted leaves the bucket non-empty; this tag is how the next plan knows to finish it.
 */
export const COPYING_TAG = "parity:copying";

/**
 * S3 has no batch tag API (GetBucketTagging takes one bucket), so finding the buckets this
 * environment owns costs one call per bucket in the account. Bounded, to stay well under S3's
 * control-plane request rates in accounts with hundreds of buckets.
 */
const TAG_READS_IN_PARALLEL = 8;

/** Errors S3 answers with when a bucket lives in another region than the client's. */
const OTHER_REGION = [
  "PermanentRedirect",
  "AuthorizationHeaderMalformed",
  "IllegalLocationConstraintException",
];

type Listed = { name: string; region?: string };

export type BucketSpec = {
  name: string;
  website?: { indexDocument: string; errorDocument?: string };
  tags?: Record<string, string>;
  copyFrom?: string;
  protect?: boolean;
};

export function bucketSpec(value: { [key: string]: Value }): BucketSpec {
  return value as unknown as BucketSpec;
}

/** The bucket's tags; {} when it has none; undefined when it lives in another region. */
export async function readTags(ctx: AwsContext, bucket: string): Promise<Record<string, string> | undefined> {
  try {
    const found = await ctx.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return fromAwsTags(found.TagSet);
  } catch (error) {
    if (isAwsError(error, "NoSuchTagSet")) return {};
    if (isAwsError(error, ...OTHER_REGION)) return undefined;
    throw error;
  }
}

/** PutBucketTagging replaces the whole set: callers pass everything the bucket should keep. */
export async function putTags(ctx: AwsContext, bucket: string, tags: Record<string, string>): Promise<void> {
  await ctx.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: toAwsTags(tags) } }));
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
  if (config.ErrorDocument?.Key) out.errorDocument = config.ErrorDocument.Key;
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
 * to know whether deleting it loses data) only for the candidates: buckets the file names or
 * that carry this environment's tags.
 */
export async function observeBuckets(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const named = new Map(nodes.map((n) => [bucketSpec(n.spec).name, n.address]));
  const listed: Listed[] = [];
  for await (const page of paginateListBuckets({ client: ctx.s3 }, {})) {
    for (const bucket of page.Buckets ?? []) {
      if (bucket.Name)
        listed.push({ name: bucket.Name, ...(bucket.BucketRegion ? { region: bucket.BucketRegion } : {}) });
    }
  }
  const limit = pLimit(TAG_READS_IN_PARALLEL);
  const found = await Promise.all(
    listed.map((bucket) => limit(() => inspect(ctx, bucket, named.get(bucket.name), env))),
  );
  return found.filter((o): o is ObservedNode => o !== undefined);
}

async function inspect(
  ctx: AwsContext,
  bucket: Listed,
  fileAddress: string | undefined,
  env: EnvironmentInfo,
): Promise<ObservedNode | undefined> {
  // Buckets this environment creates live in its region; ListBuckets says where each one is.
  if (!fileAddress && bucket.region && bucket.region !== env.region) return undefined;
  let region: string | undefined;
  if (fileAddress) {
    // Named in the file: where it is decides whether it can be managed from here at all.
    const location = await ctx.s3.send(new GetBucketLocationCommand({ Bucket: bucket.name }));
    region = regionFromLocation(location.LocationConstraint);
    if (region !== env.region) return elsewhere(bucket.name, region, fileAddress);
  }
  const tags = await readTags(ctx, bucket.name);
  if (tags === undefined) return undefined;
  const owner = ownership(tags, env);
  if (!fileAddress && !owner.managed) return undefined;
  if (fileAddress && ownedElsewhere(tags, env)) {
    // Shown to desired(), which refuses to plan it: never adopt another environment's bucket.
    return {
      ...elsewhere(bucket.name, env.region, fileAddress),
      details: { ownedBy: tags[TAG_ENVIRONMENT] ?? "" },
    };
  }
  if (region === undefined) {
    const location = await ctx.s3.send(new GetBucketLocationCommand({ Bucket: bucket.name }));
    region = regionFromLocation(location.LocationConstraint);
  }
  const [website, hasObjects] = await Promise.all([
    readWebsite(ctx, bucket.name),
    holdsObjects(ctx.s3, bucket.name),
  ]);
  const objectCount = hasObjects ? 1 : 0;
  const copying = tags[COPYING_TAG];
  // The file's name decides the address: a renamed entry re-tags the same bucket (adopt) instead
  // of deleting and re-creating a globally unique name.
  const address = fileAddress ?? owner.address;
  const managed = owner.managed && (!fileAddress || owner.address === fileAddress);
  return {
    type: TYPE,
    ...(address ? { address } : {}),
    id: bucket.name,
    managed,
    protect: owner.protect,
    attributes: {
      name: bucket.name,
      region,
      website: websiteAttributes(website),
      tags,
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
function elsewhere(name: string, region: string, address: string): ObservedNode {
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
