import type { S3Client } from "@aws-sdk/client-s3";
import type { Facts } from "../../../engine/types.js";
import type { DesiredNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { awsErrorName, isAwsError } from "../errors.js";
import { copyFactsKey, resolveSource } from "./copy.js";
import type { CopyFacts, CopyLookup } from "./copy.js";
import { SINGLE_COPY_LIMIT, listObjects } from "./objects.js";
import { bucketSpec } from "./schema.js";
import { actionsDigest, syncActions, tally } from "./sync.js";
import type { ListedObject, SyncActions } from "./sync.js";

/** Errors that mean "these credentials cannot list that bucket from this region". */
const UNREADABLE = ["AccessDenied", "PermanentRedirect", "AuthorizationHeaderMalformed"];

/** A bucket's objects; a target that does not exist yet is empty (a source that does not is an error). */
async function listTarget(s3: S3Client, bucket: string): Promise<ListedObject[]> {
  try {
    return await listObjects(s3, bucket);
  } catch (error) {
    if (isAwsError(error, "NoSuchBucket")) return [];
    throw error;
  }
}

/**
 * Lists the source and the target in full and compares them object by object: what the plan shows
 * and what apply does. Both the plan and apply call this, so they decide alike.
 */
export async function compareBuckets(
  s3: S3Client,
  source: string,
  target: string,
  sync: boolean,
  sourceListing?: Promise<ListedObject[]>,
): Promise<{ actions: SyncActions; facts: CopyFacts }> {
  const [from, into] = await Promise.all([sourceListing ?? listObjects(s3, source), listTarget(s3, target)]);
  const actions = syncActions(from, into, sync);
  return {
    actions,
    facts: {
      source,
      sync,
      copy: tally(actions.copy),
      skip: tally(actions.skip),
      remove: tally(actions.remove),
      kept: tally(actions.kept),
      tooLarge: actions.copy.filter((o) => o.size > SINGLE_COPY_LIMIT).length,
      digest: actionsDigest(actions),
    },
  };
}

function unreadable(error: unknown, bucket: string): CopyLookup {
  if (isAwsError(error, "NoSuchBucket")) return { unreadable: "it does not exist", bucket };
  if (isAwsError(error, ...UNREADABLE)) return { unreadable: awsErrorName(error), bucket };
  throw error;
}

/**
 * Plan-time facts for every bucket whose entry has `copyFrom`: the source and the bucket listed
 * (one call per 1,000 objects each, a source shared by several buckets listed once) and compared.
 */
export async function lookupCopySources(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const names = new Map(nodes.map((n) => [n.address, bucketSpec(n).name]));
  const listings = new Map<string, Promise<ListedObject[]>>();
  const facts: Facts = {};
  await Promise.all(
    nodes.map(async (node) => {
      const spec = bucketSpec(node);
      if (!spec.copyFrom) return;
      const source = resolveSource(spec.copyFrom, (address) => names.get(address) ?? "");
      if (typeof source !== "string" || !source) return;
      if (!listings.has(source)) listings.set(source, listObjects(ctx.s3, source));
      let found: CopyLookup;
      try {
        await listings.get(source);
      } catch (error) {
        facts[copyFactsKey(spec.name)] = asValue(unreadable(error, source));
        return;
      }
      try {
        found = (await compareBuckets(ctx.s3, source, spec.name, spec.sync === true, listings.get(source)))
          .facts;
      } catch (error) {
        found = unreadable(error, spec.name);
      }
      facts[copyFactsKey(spec.name)] = asValue(found);
    }),
  );
  return facts;
}

function asValue(found: CopyLookup): Value {
  return { ...found };
}
