import {
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  TagResourceCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { Tagger } from "../common/adoption.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import { creationTags, toAwsTags } from "../common/ownership.js";
import { madeForThisAddress } from "../common/rerun.js";
import { tagMap } from "../common/readers.js";
import type { Patience } from "../common/waiting.js";
import { settle, waitFor } from "../common/waiting.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { canonicalOf } from "./canonical.js";
import { applyDesired, newConfig } from "./config.js";
import { getConfig, listDistributions, outputsOf } from "./observe.js";

/** Real CloudFront takes 5-15 minutes to deploy a change; moto deploys on the first read. */
const DEPLOYING: Patience = { timeoutMs: 45 * 60_000, intervalMs: 10_000 };

/** CloudFront tags by ARN, which a distribution's id alone does not give: bind it first. */
export function taggerFor(arn: string): Tagger {
  return async (ctx, _id, tags) => {
    await ctx.cloudfront.send(new TagResourceCommand({ Resource: arn, Tags: { Items: toAwsTags(tags) } }));
  };
}

async function putConfig(
  ctx: AwsContext,
  id: string,
  etag: string,
  config: DistributionConfig,
): Promise<void> {
  await ctx.cloudfront.send(
    new UpdateDistributionCommand({ Id: id, IfMatch: etag, DistributionConfig: config }),
  );
}

/** GetDistributionConfig → the file's settings merged into it → UpdateDistribution (if anything changed). */
async function converge(ctx: AwsContext, id: string, op: Operation): Promise<void> {
  const current = await getConfig(ctx, id);
  if (!current) throw new Error(`distribution ${id} no longer exists`);
  const next = applyDesired(current.config, canonicalOf(op.desired ?? {}));
  if (JSON.stringify(next) === JSON.stringify(current.config)) return;
  await putConfig(ctx, id, current.etag, next);
}

/** The distribution's latest ETag (a delete needs it) once it is Deployed; undefined while it deploys. */
async function deployedEtag(ctx: AwsContext, id: string): Promise<string | undefined> {
  const answer = await ctx.cloudfront.send(new GetDistributionCommand({ Id: id }));
  return answer.Distribution?.Status === "Deployed" ? (answer.ETag ?? "") : undefined;
}

function deployed(ctx: AwsContext, id: string, op: Operation): Promise<void> {
  return settle(
    op,
    `distribution ${id} to deploy`,
    DEPLOYING,
    async () => (await deployedEtag(ctx, id)) !== undefined,
    "CloudFront keeps deploying it",
  );
}

export async function createDistribution(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const node = op.node!;
  const desired = op.desired ?? {};
  let made: Outputs;
  try {
    const answer = await ctx.cloudfront.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: {
          // The CallerReference makes the create idempotent: a re-run cannot make a second one.
          DistributionConfig: newConfig(ctx.token(node.address), canonicalOf(desired)),
          Tags: { Items: toAwsTags(creationTags(op.env, node, tagMap(desired.tags))) },
        },
      }),
    );
    made = outputsOf(answer.Distribution ?? {});
  } catch (error) {
    if (!isAwsError(error, "DistributionAlreadyExists")) throw error;
    // An interrupted apply already created it with our CallerReference: converge that one.
    const ours = (await listDistributions(ctx)).find((l) => madeForThisAddress(op, l.tags));
    if (!ours) throw error;
    made = outputsOf(ours.summary);
    await converge(ctx, String(made.id), op);
  }
  await deployed(ctx, String(made.id), op);
  return made;
}

export async function updateDistribution(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  await converge(ctx, observed.id, op);
  await syncTags(ctx, taggerFor(String(observed.outputs.arn)), op);
  await deployed(ctx, observed.id, op);
  return observed.outputs;
}

/** A distribution made by hand: tag it ours (by its ARN), then converge it like any update. */
export function adoptDistribution(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const arn = String(op.observed?.outputs.arn ?? "");
  return claimThenUpdate(taggerFor(arn), updateDistribution)(ctx, op);
}

/**
 * CloudFront deletes only a disabled, deployed distribution: disable, wait for Deployed (even
 * with --no-wait: there is no other way), then delete with the latest ETag.
 */
export async function deleteDistribution(ctx: AwsContext, op: Operation): Promise<void> {
  const id = op.observed?.id ?? op.change.id ?? "";
  const current = await getConfig(ctx, id);
  if (!current) return;
  if (current.config.Enabled) {
    await putConfig(ctx, id, current.etag, { ...current.config, Enabled: false });
    op.progress(`disabled distribution ${id}; waiting for CloudFront to deploy that before deleting`);
  }
  const etag = await waitFor(op, `distribution ${id} to deploy`, DEPLOYING, () => deployedEtag(ctx, id));
  await tolerate(
    () => ctx.cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: etag })),
    "NoSuchDistribution",
  );
}
