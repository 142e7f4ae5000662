import type { AwsContext } from "../context.js";
import { batcher, batcherOf } from "./batching.js";
import type { Batcher } from "./batching.js";
import { TAG_BATCH, describeTags } from "./elbv2.js";
import type { TagMap } from "./ownership.js";

/** Application load balancers and target groups, as the tagging API names them. */
export const LOAD_BALANCER_ARN = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:loadbalancer\/(app\/.+)$/;
export const TARGET_GROUP_ARN = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:targetgroup\/(.+)$/;

/**
 * How long a service tag read waits for others: load balancers and target groups are listed at
 * the same time, so their reads usually share one DescribeTags (it takes both kinds of ARN).
 */
const GATHER_MS = 10;

const serviceReaders = new WeakMap<AwsContext, Batcher<TagMap>>();

/** ELBv2's own tags of these ARNs, through DescribeTags batches that discovery's kinds share. */
export async function elbv2Tags(ctx: AwsContext, arns: string[]): Promise<Map<string, TagMap>> {
  const reader = batcherOf(serviceReaders, ctx, () =>
    batcher((keys) => describeTags(ctx, keys), { gatherMs: GATHER_MS, maxKeys: TAG_BATCH }),
  );
  const tags = await Promise.all(arns.map((arn) => reader.read(arn)));
  return new Map(arns.flatMap((arn, i) => (tags[i] ? [[arn, tags[i]] as const] : [])));
}
