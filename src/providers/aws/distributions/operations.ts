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

/**
 * CloudFront never forgets a CallerReference, even once its distribution is deleted: a create at an
 * address that had one before needs a new reference. Each generation's is fixed, so a retried create
 * still sends one CloudFront has seen and is recognised.
 */
const GENERATIONS = 20;

export function callerReference(ctx: Pick<AwsContext, "token">, address: string, generation: number): string {
  return generation === 0 ? ctx.token(address) : ctx.token(address, `create|generation ${generation}`);
}

export async function createDistribution(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const node = op.node!;
  const desired = op.desired ?? {};
  const made = await createOrResume(ctx, op, async (reference) => {
    const answer = await ctx.cloudfront.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: {
          DistributionConfig: newConfig(reference, canonicalOf(desired)),
          Tags: { Items: toAwsTags(creationTags(op.env, node, tagMap(desired.tags))) },
        },
      }),
    );
    return outputsOf(answer.Distribution ?? {});
  });
  await deployed(ctx, String(made.id), op);
  return made;
}

/** Each generation's reference in turn, until one is new or names the distribution an earlier run made. */
async function createOrResume(
  ctx: AwsContext,
  op: Operation,
  create: (reference: string) => Promise<Outputs>,
): Promise<Outputs> {
  for (let generation = 0; ; generation++) {
    try {
      return await create(callerReference(ctx, op.change.address, generation));
    } catch (error) {
      if (!isAwsError(error, "DistributionAlreadyExists") || generation + 1 >= GENERATIONS) throw error;
      if (generation > 0) continue;
      // An interrupted apply already created it (with whichever generation was free): converge that one.
      const ours = (await listDistributions(ctx)).find((l) => madeForThisAddress(op, l.tags));
      if (!ours) continue;
      const made = outputsOf(ours.summary);
      await converge(ctx, String(made.id), op);
      return made;
    }
  }
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
