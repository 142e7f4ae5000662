import { GetBucketTaggingCommand, PutBucketTaggingCommand } from "@aws-sdk/client-s3";
import type { Tagger } from "../common/adoption.js";
import { fromAwsTags, toAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { isAwsError } from "../errors.js";

/** Errors S3 answers with when a bucket lives in another region than the client's. */
const OTHER_REGION = [
  "PermanentRedirect",
  "AuthorizationHeaderMalformed",
  "IllegalLocationConstraintException",
];

/** The bucket's tags; {} when it has none; undefined when it lives in another region. */
export async function readTags(ctx: AwsContext, bucket: string): Promise<TagMap | undefined> {
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
export async function putTags(ctx: AwsContext, bucket: string, tags: TagMap): Promise<void> {
  await ctx.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: toAwsTags(tags) } }));
}

/**
 * S3 has no "add tags" call: the new tags are merged into the set the bucket has now, read again
 * just before. The plan's may be the tagging API's, which can lag S3 by a little, or a saved
 * plan's, older still: merged into either, a tag someone added since would be lost.
 */
export const bucketTagger: Tagger = async (ctx, bucket, tags, planned) =>
  putTags(ctx, bucket, { ...((await readTags(ctx, bucket)) ?? planned), ...tags });
