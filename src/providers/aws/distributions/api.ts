import {
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  UpdateDistributionCommand,
  paginateListDistributions,
} from "@aws-sdk/client-cloudfront";
import type { DistributionConfig, DistributionSummary } from "@aws-sdk/client-cloudfront";
import pLimit from "p-limit";
import type { EnvironmentInfo, Operation, Outputs } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import { fromAwsTags, ownership } from "../tags.js";
import type { Ownership } from "../tags.js";
import { CLOUDFRONT_HOSTED_ZONE_ID } from "./canonical.js";

/** CloudFront has no batch tag API: this many ListTagsForResource calls run at once. */
const TAG_READS = 4;
/** Real CloudFront takes 5-15 minutes to deploy a change; moto deploys on the first read. */
const DEPLOY_POLL_MS = 10_000;
const DEPLOY_TIMEOUT_MS = 45 * 60_000;

export type Found = { summary: DistributionSummary; tags: Record<string, string>; owner: Ownership };

export function distributionOutputs(id: string, arn: string, domainName: string): Outputs {
  return { id, arn, domainName, dnsName: domainName, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID };
}

/**
 * Every distribution of the account with its tags: one paginated ListDistributions (global),
 * then ListTagsForResource per distribution, as CloudFront has no way to read many at once.
 */
export async function listWithTags(ctx: AwsContext, env: EnvironmentInfo): Promise<Found[]> {
  const summaries: DistributionSummary[] = [];
  for await (const page of paginateListDistributions({ client: ctx.cloudfront }, {})) {
    summaries.push(...(page.DistributionList?.Items ?? []));
  }
  const limit = pLimit(TAG_READS);
  const found = await Promise.all(
    summaries.map((summary) =>
      limit(async (): Promise<Found | undefined> => {
        // Gone between the listing and this read: nothing to observe.
        const answer = await tolerate(
          () => ctx.cloudfront.send(new ListTagsForResourceCommand({ Resource: summary.ARN })),
          "NoSuchDistribution",
          "NoSuchResource",
        );
        if (!answer) return undefined;
        const tags = fromAwsTags(answer.Tags?.Items);
        return { summary, tags, owner: ownership(tags, env) };
      }),
    ),
  );
  return found.filter((f): f is Found => f !== undefined);
}

export async function getConfig(
  ctx: AwsContext,
  id: string,
): Promise<{ config: DistributionConfig; etag: string } | undefined> {
  const answer = await tolerate(
    () => ctx.cloudfront.send(new GetDistributionConfigCommand({ Id: id })),
    "NoSuchDistribution",
  );
  if (!answer?.DistributionConfig) return undefined;
  return { config: answer.DistributionConfig, etag: answer.ETag ?? "" };
}

export async function putConfig(
  ctx: AwsContext,
  id: string,
  etag: string,
  config: DistributionConfig,
): Promise<void> {
  await ctx.cloudfront.send(
    new UpdateDistributionCommand({ Id: id, IfMatch: etag, DistributionConfig: config }),
  );
}

/** Polls until the distribution is Deployed; returns its latest ETag (deletes need it). */
export async function waitDeployed(ctx: AwsContext, id: string, op: Operation): Promise<string> {
  return waitUntil(
    async () => {
      const answer = await ctx.cloudfront.send(new GetDistributionCommand({ Id: id }));
      return answer.Distribution?.Status === "Deployed" ? (answer.ETag ?? "") : undefined;
    },
    {
      what: `distribution ${id} to deploy`,
      timeoutMs: DEPLOY_TIMEOUT_MS,
      intervalMs: DEPLOY_POLL_MS,
      signal: op.signal,
      progress: op.progress,
    },
  );
}

/** Waits for a create or update to deploy, unless `--no-wait` asked to return at once. */
export async function settle(ctx: AwsContext, id: string, op: Operation): Promise<void> {
  if (op.noWait) {
    op.progress(`not waiting for distribution ${id} to deploy (--no-wait); CloudFront keeps deploying it`);
    return;
  }
  await waitDeployed(ctx, id, op);
}
