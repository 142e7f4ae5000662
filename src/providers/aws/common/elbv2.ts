import { AddTagsCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import pLimit from "p-limit";
import type { AwsContext } from "../context.js";
import type { Tagger } from "./adoption.js";
import { fromAwsTags, toAwsTags } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/**
 * How many per-resource ELBv2 reads (attributes, listeners, target health) run at once.
 * Those APIs take one ARN per call; a small limit keeps discovery fast without tripping
 * ELBv2's request-rate throttling on accounts with many load balancers.
 */
export const PER_RESOURCE_READS = 4;

/** DescribeTags accepts at most 20 ARNs per call. */
export const TAG_BATCH = 20;

/** Tags of many ELBv2 resources: DescribeTags in batches of 20 ARNs (the API's maximum). */
export async function describeTags(ctx: AwsContext, arns: string[]): Promise<Map<string, TagMap>> {
  const batches: string[][] = [];
  for (let i = 0; i < arns.length; i += TAG_BATCH) batches.push(arns.slice(i, i + TAG_BATCH));
  const pages = await perResource(batches, (batch) =>
    ctx.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch })),
  );
  const out = new Map<string, TagMap>();
  for (const page of pages) {
    for (const description of page.TagDescriptions ?? []) {
      if (description.ResourceArn) out.set(description.ResourceArn, fromAwsTags(description.Tags));
    }
  }
  return out;
}

/** The tags of one ELBv2 resource (none when it has gone meanwhile). */
export async function tagsOfArn(ctx: AwsContext, arn: string): Promise<TagMap> {
  return (await describeTags(ctx, [arn])).get(arn) ?? {};
}

/** Runs one read per item with the shared small concurrency limit, keeping the input order. */
export async function perResource<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(PER_RESOURCE_READS);
  return Promise.all(items.map((item) => limit(() => read(item))));
}

/** ELBv2 adds or overwrites tags by ARN; the rest of the set stays. */
export const elbv2Tagger: Tagger = async (ctx, arn, tags) => {
  await ctx.elbv2.send(new AddTagsCommand({ ResourceArns: [arn], Tags: toAwsTags(tags) }));
};

/** The protocol an ELBv2 call takes, from a desired attribute (the schema allows only these two). */
export function httpProtocol(value: unknown): "HTTP" | "HTTPS" {
  return value === "HTTPS" ? "HTTPS" : "HTTP";
}
