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
import { ensureTakeable } from "../common/rerun.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { copyLookup, copySummary } from "./copy.js";
import { compareBuckets } from "./copySources.js";
import { bucketOutputs, locationConstraint } from "./naming.js";
import { copyObjects, deleteObjects, emptyBucket, holdsObjects } from "./objects.js";
import type { WebsiteSpec } from "./schema.js";
import { bucketTagger, putTags, readTags } from "./tagging.js";

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
 * Carries out the copy the plan showed. Both buckets are listed again first: when what that finds
 * to do is not what the plan found (either bucket changed since), nothing is copied or deleted.
 * Copies go first, deletions last, so an interruption never leaves the bucket with less than before
 * the copies; the next plan finds what is left.
 */
async function carryOutCopy(ctx: AwsContext, op: Operation, target: string): Promise<void> {
  const planned = copyLookup(op.facts, target);
  if (!planned || "unreadable" in planned) return;
  const now = await compareBuckets(ctx.s3, planned.source, target, planned.sync);
  if (now.facts.digest !== planned.digest) {
    throw new Error(
      `${planned.source} or ${target} changed since the plan: it planned to ${copySummary(planned)}; now it would ${copySummary(now.facts)}. Nothing was copied or deleted: plan again and review`,
    );
  }
  if (now.actions.remove.length > 0 && !op.allowDestroy) {
    throw new Error(
      `the copy from ${planned.source} deletes ${now.actions.remove.length} objects of ${target}: it runs only with --allow-destroy (nothing was copied or deleted)`,
    );
  }
  await copyObjects(ctx.s3, planned.source, target, now.actions.copy, op.progress);
  if (now.actions.remove.length > 0) {
    await deleteObjects(
      ctx.s3,
      target,
      now.actions.remove.map((o) => o.key),
      op.progress,
    );
  }
  op.progress(`${target} now matches ${planned.source}: ${copySummary(planned)}`);
}

export async function createBucket(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const node = op.node!;
  const desired = op.desired ?? {};
  const name = String(desired.name);
  const tags = creationTags(op.env, node, tagsOf(desired.tags));
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
  if (desired.contents !== undefined) await carryOutCopy(ctx, op, name);
  return bucketOutputs(name, op.env.region);
}

/** Tags (merged: S3 replaces the whole set), the website where it differs, then any planned copy. */
export async function updateBucket(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const desired = op.desired ?? {};
  await syncTags(ctx, bucketTagger, op);
  const website = websiteOf(desired.website);
  if (website && differs(op, "website")) await putWebsite(ctx, observed.id, website, observed);
  if (desired.website === null && differs(op, "website"))
    await ctx.s3.send(new DeleteBucketWebsiteCommand({ Bucket: observed.id }));
  if (desired.contents !== undefined) await carryOutCopy(ctx, op, observed.id);
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
