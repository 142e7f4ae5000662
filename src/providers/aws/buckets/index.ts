import { CreateBucketCommand, DeleteBucketCommand, PutBucketWebsiteCommand } from "@aws-sdk/client-s3";
import type { BucketLocationConstraint, RoutingRule } from "@aws-sdk/client-s3";
import { compareAttributes } from "../../../engine/compare.js";
import { oneNode } from "../../../engine/kinds.js";
import type { Kind, Operation, Outputs, ResourceType } from "../../../engine/types.js";
import type { Attrs, ObservedNode } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import {
  TAG_ADDRESS,
  TAG_ENVIRONMENT,
  ownedElsewhere,
  ownership,
  ownershipTags,
  toAwsTags,
  userTags,
} from "../tags.js";
import { copyExpectation, lookupCopySources, planCopy, plannedCopySource } from "./copy.js";
import { bucketOutputs, locationConstraint } from "./naming.js";
import { copyObjects, emptyBucket, holdsObjects } from "./objects.js";
import { COPYING_TAG, TYPE, bucketSpec, observeBuckets, putTags, readTags } from "./observe.js";
import { bucketSchema } from "./schema.js";
import { describeObjects } from "./units.js";

function stringMap(value: unknown): Record<string, string> {
  return isPlainObject(value) ? (value as Record<string, string>) : {};
}

/** Attribute paths where the bucket differs from the file (an adopt may differ in none). */
function differences(op: Operation): string[] {
  return compareAttributes(op.desired ?? {}, op.observed?.attributes, { replaceOn: [] }).map((a) => a.path);
}

function touches(paths: string[], prefix: string): boolean {
  return paths.some((p) => p === prefix || p.startsWith(prefix + "."));
}

/** PutBucketWebsite replaces the whole configuration: keep what the file does not set. */
async function putWebsite(
  ctx: AwsContext,
  bucket: string,
  want: Attrs,
  observed: ObservedNode | undefined,
): Promise<void> {
  const have = stringMap(observed?.attributes.website);
  const errorDocument = want.errorDocument ?? have.errorDocument;
  const rules = observed?.details?.routingRules;
  await ctx.s3.send(
    new PutBucketWebsiteCommand({
      Bucket: bucket,
      WebsiteConfiguration: {
        IndexDocument: { Suffix: String(want.indexDocument) },
        ...(errorDocument ? { ErrorDocument: { Key: String(errorDocument) } } : {}),
        ...(typeof rules === "string" ? { RoutingRules: JSON.parse(rules) as RoutingRule[] } : {}),
      },
    }),
  );
}

/**
 * Copies the source into the bucket. The marker tag is already on the bucket (set with the other
 * tags before the first object), so an interrupted copy is resumed by the next plan; it is
 * removed only once every object is there.
 */
async function copyInto(
  ctx: AwsContext,
  op: Operation,
  target: string,
  source: string,
  tags: Record<string, string>,
): Promise<void> {
  const expected = copyExpectation(op.facts, source);
  const copied = await copyObjects(ctx.s3, source, target, op.progress, expected);
  op.progress(`copied ${describeObjects(copied.objects, copied.bytes)} from ${source}`);
  const { [COPYING_TAG]: _done, ...rest } = tags;
  await putTags(ctx, target, rest);
}

/** Shared by update and adopt: tags (merged: S3 replaces the whole set), website, then any copy. */
async function converge(ctx: AwsContext, op: Operation, adopting: boolean): Promise<Outputs> {
  const observed = op.observed as ObservedNode;
  const desired = op.desired ?? {};
  const name = observed.id;
  const paths = differences(op);
  const source = plannedCopySource(desired);
  let tags = stringMap(observed.attributes.tags);
  if (adopting || source || touches(paths, "tags")) {
    tags = {
      ...tags,
      ...stringMap(desired.tags),
      ...(adopting && op.node ? ownershipTags(op.env, op.node.address, op.node.protect) : {}),
      ...(source ? { [COPYING_TAG]: source } : {}),
    };
    await putTags(ctx, name, tags);
  }
  if (isPlainObject(desired.website) && touches(paths, "website"))
    await putWebsite(ctx, name, desired.website, observed);
  if (source) await copyInto(ctx, op, name, source, tags);
  return bucketOutputs(name, op.env.region);
}

export const bucketType: ResourceType<AwsContext> = {
  type: TYPE,
  replaceOn: ["name"],

  risks(change) {
    const destroys = change.action === "delete" || change.action === "replace";
    // Anything but a bucket known to be empty may hold data nobody else has.
    return destroys && change.before?.contents !== "empty" ? ["data-loss"] : [];
  },

  notes(change) {
    if (change.action === "delete" && change.before?.contents !== "empty") {
      return ["holds objects: deleted only with --allow-destroy, which deletes every object first"];
    }
    return [];
  },

  plannedOutputs(node, env) {
    return bucketOutputs(bucketSpec(node.spec).name, env.region);
  },

  desired(node, resolver, observed) {
    const spec = bucketSpec(node.spec);
    const region = resolver.env.region;
    const errors: { message: string; hint?: string }[] = [];
    const ownedBy = observed?.details?.ownedBy;
    if (typeof ownedBy === "string") {
      errors.push({
        message: `bucket ${spec.name} belongs to the parity environment "${ownedBy}"`,
        hint: "bucket names are global: choose another name",
      });
    } else if (observed && observed.attributes.region !== region) {
      errors.push({
        message: `bucket ${spec.name} exists in ${String(observed.attributes.region)}, not in this environment's region ${region}`,
        hint: "bucket names are global: choose another name",
      });
    }
    const attributes: Attrs = { name: spec.name, region, tags: userTags(resolver.env, spec.tags) };
    if (spec.website) {
      attributes.website = {
        indexDocument: spec.website.indexDocument,
        ...(spec.website.errorDocument !== undefined ? { errorDocument: spec.website.errorDocument } : {}),
      };
    }
    const copy = planCopy(spec, resolver, observed);
    if (copy.contents) attributes.contents = copy.contents;
    errors.push(...(copy.errors ?? []));
    return { attributes, ...(copy.notes ? { notes: copy.notes } : {}), ...(errors.length ? { errors } : {}) };
  },

  observe: observeBuckets,

  async lookup(ctx, nodes) {
    return lookupCopySources(
      ctx,
      nodes.map((n) => ({ address: n.address, spec: bucketSpec(n.spec) })),
    );
  },

  async create(ctx, op) {
    const node = op.node!;
    const desired = op.desired ?? {};
    const name = String(desired.name);
    const source = plannedCopySource(desired);
    const tags = {
      ...stringMap(desired.tags),
      ...ownershipTags(op.env, node.address, node.protect),
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
    const owner = ownership(live, op.env);
    if (ownedElsewhere(live, op.env)) {
      throw new Error(
        `bucket ${name} already exists and belongs to the parity environment "${live[TAG_ENVIRONMENT]}"`,
      );
    }
    if (owner.managed && owner.address !== node.address) {
      throw new Error(
        `bucket ${name} already exists and belongs to ${live[TAG_ADDRESS]} of this environment`,
      );
    }
    // Emulators (and accounts without s3:TagResource) drop the tags of CreateBucket: put them again.
    const all = { ...live, ...tags };
    await putTags(ctx, name, all);
    if (isPlainObject(desired.website)) await putWebsite(ctx, name, desired.website, undefined);
    if (source) await copyInto(ctx, op, name, source, all);
    return bucketOutputs(name, op.env.region);
  },

  update(ctx, op) {
    return converge(ctx, op, false);
  },

  adopt(ctx, op) {
    return converge(ctx, op, true);
  },

  async delete(ctx, op) {
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
  },
};

export const buckets: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: bucketSchema,
  outputs: ["name", "arn", "websiteDomain", "domainName"],
  expand: oneNode(TYPE),
  types: [bucketType],
  check(_address, spec) {
    const s = bucketSpec(spec);
    return s.copyFrom === s.name ? [{ path: ["copyFrom"], message: "a bucket cannot copy from itself" }] : [];
  },
};
