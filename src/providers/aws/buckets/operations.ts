import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketWebsiteCommand,
  PutBucketWebsiteCommand,
} from "@aws-sdk/client-s3";
import type { BucketLocationConstraint, RoutingRule } from "@aws-sdk/client-s3";
import { compareAttributes } from "../../../engine/compare.js";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { claimThenUpdate, syncTags, tagsOf } from "../common/adoption.js";
import { creationTags, toAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { ensureTakeable } from "../common/rerun.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { COPYING_TAG, copyExpectation, plannedCopySource } from "./copy.js";
import { bucketOutputs, locationConstraint } from "./naming.js";
import { copyObjects, emptyBucket, holdsObjects } from "./objects.js";
import type { WebsiteSpec } from "./schema.js";
import { bucketTagger, putTags, readTags } from "./tagging.js";
import { describeObjects } from "./units.js";

/** A website configuration back from attributes (desired or observed). */
function websiteOf(value: Value | undefined): WebsiteSpec | undefined {
  if (!isPlainObject(value) || typeof value.indexDocument !== "string") return undefined;
  return {
    indexDocument: value.indexDocument,
    ...(typeof value.errorDocument === "string" ? { errorDocument: value.errorDocument } : {}),
  };
}

/** Whether the live bucket differs from the file in one attribute (only what the file sets counts). */
function differs(op: Operation, attribute: string): boolean {
  const want = op.desired?.[attribute];
  if (want === undefined) return false;
  return compareAttributes({ [attribute]: want }, op.observed?.attributes, { replaceOn: [] }).length > 0;
}

/** PutBucketWebsite replaces the whole configuration: keep the routing rules, which the file cannot set. */
async function putWebsite(
  ctx: AwsContext,
  bucket: string,
  want: WebsiteSpec,
  observed: ObservedNode | undefined,
): Promise<void> {
  const errorDocument = want.errorDocument;
  const rules = observed?.details?.routingRules;
  await ctx.s3.send(
    new PutBucketWebsiteCommand({
      Bucket: bucket,
      WebsiteConfiguration: {
        IndexDocument: { Suffix: want.indexDocument },
        ...(errorDocument ? { ErrorDocument: { Key: errorDocument } } : {}),
        ...(typeof rules === "string" ? { RoutingRules: JSON.parse(rules) as RoutingRule[] } : {}),
      },
    }),
  );
}

/**
 * Copies the source into the bucket. The marker tag is on the bucket before the first object, so
 * an interrupted copy is resumed by the next plan; it is removed only once every object is there.
 */
async function copyInto(
  ctx: AwsContext,
  op: Operation,
  target: string,
  source: string,
  tags: TagMap,
): Promise<void> {
  if (tags[COPYING_TAG] !== source) await bucketTagger(ctx, target, { [COPYING_TAG]: source }, tags);
  const copied = await copyObjects(ctx.s3, source, target, op.progress, copyExpectation(op.facts, source));
  op.progress(`copied ${describeObjects(copied.objects, copied.bytes)} from ${source}`);
  const { [COPYING_TAG]: _done, ...rest } = tags;
  await putTags(ctx, target, rest);
}

export async function createBucket(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const node = op.node!;
  const desired = op.desired ?? {};
  const name = String(desired.name);
  const source = plannedCopySource(desired);
  const tags = {
    ...creationTags(op.env, node, tagsOf(desired.tags)),
    ...(source ? { [COPYING_TAG]: source } : {}),
  };
  const constraint = locationConstraint(op.env.region);
  try {
    await ctx.s3.send(
      new CreateBucketCommand({
        Bucket: name,
        CreateBucketConfiguration: {
          ...(constraint ? { LocationConstraint: constraint as BucketLocationConstraint } : {}),
          Tags: toAwsTags(tags),
        },
      }),
    );
  } catch (error) {
    if (isAwsError(error, "BucketAlreadyExists")) {
      throw new Error(
        `the bucket name ${name} is taken by another AWS account (bucket names are global): choose another name`,
      );
    }
    // Ours from an interrupted run: carry on (checked below).
    if (!isAwsError(error, "BucketAlreadyOwnedByYou")) throw error;
  }
  // Re-runs, and us-east-1 (where creating a bucket you own succeeds), land here with an existing
  // bucket: only one that is untagged or already ours may be taken over.
  const live = (await readTags(ctx, name)) ?? {};
  ensureTakeable(`bucket ${name}`, live, op);
  // Emulators (and accounts without s3:TagResource) drop the tags of CreateBucket: put them again.
  const all = { ...live, ...tags };
  await putTags(ctx, name, all);
  const website = websiteOf(desired.website);
  if (website) await putWebsite(ctx, name, website, undefined);
  if (source) await copyInto(ctx, op, name, source, all);
  return bucketOutputs(name, op.env.region);
}

/** Tags (merged: S3 replaces the whole set), the website where it differs, then any planned copy. */
export async function updateBucket(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const desired = op.desired ?? {};
  const tags = await syncTags(ctx, bucketTagger, op);
  const website = websiteOf(desired.website);
  if (website && differs(op, "website")) await putWebsite(ctx, observed.id, website, observed);
  if (desired.website === null && differs(op, "website"))
    await ctx.s3.send(new DeleteBucketWebsiteCommand({ Bucket: observed.id }));
  const source = plannedCopySource(desired);
  if (source) await copyInto(ctx, op, observed.id, source, tags);
  return bucketOutputs(observed.id, op.env.region);
}

export const adoptBucket = claimThenUpdate(bucketTagger, updateBucket);

export async function deleteBucket(ctx: AwsContext, op: Operation): Promise<void> {
  const name = op.observed?.id ?? op.change.id ?? "";
  let holds: boolean;
  try {
    holds = await holdsObjects(ctx.s3, name);
  } catch (error) {
    if (isAwsError(error, "NoSuchBucket")) return;
    throw error;
  }
  if (holds && !op.allowDestroy) {
    throw new Error(
      `bucket ${name} still holds objects: it is emptied and deleted only with --allow-destroy`,
    );
  }
  if (holds) await emptyBucket(ctx.s3, name, op.progress);
  await tolerate(() => ctx.s3.send(new DeleteBucketCommand({ Bucket: name })), "NoSuchBucket");
}
