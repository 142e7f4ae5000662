import { GetBucketLocationCommand, GetBucketWebsiteCommand } from "@aws-sdk/client-s3";
import type { GetBucketWebsiteCommandOutput } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import type { TagMap } from "../common/ownership.js";
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

/** A bucket's own reads, made at once: where it is, its tags, its website, whether it holds objects. */
type Read = { name: string; region: string; tags: TagMap; website: Website; hasObjects: boolean };
type Website = GetBucketWebsiteCommandOutput | undefined;
type Elsewhere = { name: string; region: string; elsewhere: true };

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
 * One bucket's four reads in parallel rather than in a chain (S3 has no batch API for any of
 * them): undefined when it does not exist. The reads other than its location are only asked of
 * this region's S3, so they fail for a bucket elsewhere, which then has only its region.
 */
async function readBucket(ctx: AwsContext, name: string): Promise<Read | Elsewhere | undefined> {
  // Settled either way: a read that fails because the bucket is elsewhere is not wanted.
  const rest = Promise.all([readTags(ctx, name), readWebsite(ctx, name), holdsObjects(ctx.s3, name)]).then(
    (answers) => ({ answers }),
    (error: unknown) => ({ error }),
  );
  const [region, outcome] = await Promise.all([regionOf(ctx, name), rest]);
  if (region === undefined) return undefined;
  if (region !== ctx.region) return { name, region, elsewhere: true };
  if ("error" in outcome) {
    // Deleted between the reads: nothing to observe.
    if (isAwsError(outcome.error, "NoSuchBucket")) return undefined;
    throw outcome.error;
  }
  const [tags, website, hasObjects] = outcome.answers;
  return tags && { name, region, tags, website, hasObjects };
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
 * read too; each bucket's reads go out together. `claim` decides on the tags S3 itself returns.
 */
export async function observeBuckets(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const wanted = wantedBy(nodes, (n) => bucketSpec(n).name);
  const limit = pLimit(READS_IN_PARALLEL);
  const readAll = (names: string[]) => Promise.all(names.map((name) => limit(() => readBucket(ctx, name))));
  // The file's buckets are read while the tagging API answers, not after.
  const [named, tagged] = await Promise.all([readAll([...wanted.keys()]), environmentResources(ctx, env)]);
  const dropped = resourcesOf(tagged, "s3", BUCKET_ARN)
    .map((r) => r.id)
    .filter((name) => !wanted.has(name));
  const found = [...named, ...(await readAll([...new Set(dropped)]))].filter((b) => b !== undefined);
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

function observedBucket(bucket: Read, owner: Claim): ObservedNode {
  const { name, region, website } = bucket;
  const objectCount = bucket.hasObjects ? 1 : 0;
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
      contents: contentsAttribute(objectCount, copying),
    },
    outputs: bucketOutputs(name, region),
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
