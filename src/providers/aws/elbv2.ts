import { DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import pLimit from "p-limit";
import type { AwsContext } from "./context.js";
import { fromAwsTags } from "./tags.js";

/**
 * How many per-resource ELBv2 reads (attributes, listeners, target health) run at once.
 * Those APIs take one ARN per call; a small limit keeps discovery fast without tripping
 * ELBv2's request-rate throttling on accounts with many load balancers.
 */
export const PER_RESOURCE_READS = 4;

/** DescribeTags accepts at most 20 ARNs per call. */
const TAG_BATCH = 20;

/** Tags of many ELBv2 resources: DescribeTags in batches of 20 ARNs (the API's maximum). */
export async function describeTags(
  ctx: AwsContext,
  arns: string[],
): Promise<Map<string, Record<string, string>>> {
  const batches: string[][] = [];
  for (let i = 0; i < arns.length; i += TAG_BATCH) batches.push(arns.slice(i, i + TAG_BATCH));
  const limit = pLimit(PER_RESOURCE_READS);
  const pages = await Promise.all(
    batches.map((batch) => limit(() => ctx.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch })))),
  );
  const out = new Map<string, Record<string, string>>();
  for (const page of pages) {
    for (const description of page.TagDescriptions ?? []) {
      if (description.ResourceArn) out.set(description.ResourceArn, fromAwsTags(description.Tags));
    }
  }
  return out;
}

/** Runs one read per item with the shared small concurrency limit, keeping the input order. */
export async function perResource<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(PER_RESOURCE_READS);
  return Promise.all(items.map((item) => limit(() => read(item))));
}

/** Sorts ids the way a set compares: known ids in order, values not yet known last. */
export function sortIds<T>(ids: T[]): T[] {
  const known = ids.filter((id): id is T & string => typeof id === "string").sort();
  const rest = ids.filter((id) => typeof id !== "string");
  return [...new Set(known), ...rest];
}

/** The tags of `want` whose value differs from `have` (the file only ever adds or changes tags). */
export function changedTags(
  want: Record<string, string>,
  have: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
}
