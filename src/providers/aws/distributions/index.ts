import {
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  TagResourceCommand,
} from "@aws-sdk/client-cloudfront";
import { oneNode } from "../../../engine/kinds.js";
import type { Facts, Kind, KindProblem, Operation, Outputs, ResourceType } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import { issuedCertificates } from "../certificates.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { adoptionTags, ownershipTags, toAwsTags } from "../tags.js";
import { distributionOutputs, getConfig, listWithTags, putConfig, settle, waitDeployed } from "./api.js";
import {
  CERTIFICATE_FACTS,
  CERTIFICATE_REGION,
  CLOUDFRONT_HOSTED_ZONE_ID,
  asAttrs,
  canonicalFromConfig,
  desiredDistribution,
  fromAttrs,
} from "./canonical.js";
import type { BehaviorSpec, DistributionSpec } from "./canonical.js";
import { applyDesired, newConfig } from "./config.js";
import { distributionSchema } from "./schema.js";

const TYPE = "distributions";

function spec(value: { [key: string]: Value }): DistributionSpec {
  return value as unknown as DistributionSpec;
}

/** GetDistributionConfig → the file's settings merged into it → UpdateDistribution (if anything changed). */
async function converge(ctx: AwsContext, id: string, op: Operation): Promise<void> {
  const current = await getConfig(ctx, id);
  if (!current) throw new Error(`distribution ${id} no longer exists`);
  const next = applyDesired(current.config, fromAttrs(op.desired ?? {}));
  if (JSON.stringify(next) === JSON.stringify(current.config)) return;
  await putConfig(ctx, id, current.etag, next);
}

async function tagDifference(
  ctx: AwsContext,
  arn: string,
  have: Record<string, string>,
  want: Record<string, string>,
): Promise<void> {
  const changed = Object.entries(want).filter(([k, v]) => have[k] !== v);
  if (changed.length === 0) return;
  await ctx.cloudfront.send(
    new TagResourceCommand({ Resource: arn, Tags: { Items: toAwsTags(Object.fromEntries(changed)) } }),
  );
}

export const distributionType: ResourceType<AwsContext> = {
  type: TYPE,
  replaceOn: [],
  expectedSeconds: { create: 600, update: 600, delete: 900 },

  risks(change) {
    if (change.action === "delete" || change.action === "replace") return ["downtime"];
    const disabling = change.attributes.some((a) => a.path === "enabled" && a.after === false);
    return disabling ? ["downtime"] : [];
  },

  notes(change) {
    if (change.action !== "delete") return [];
    return ["disable it, wait until CloudFront has deployed that, then delete it"];
  },

  plannedOutputs() {
    return { hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID };
  },

  async lookup(ctx, nodes): Promise<Facts> {
    const wantsDomain = nodes.some((n) => {
      const cert = spec(n.spec).certificate;
      return typeof cert === "object" && cert.domain !== undefined;
    });
    if (!wantsDomain) return {};
    return { [CERTIFICATE_FACTS]: await issuedCertificates(ctx, CERTIFICATE_REGION) };
  },

  desired(node, resolver, observed) {
    const s = spec(node.spec);
    const liveOrigins = Object.keys((observed?.attributes.origins ?? {}) as object);
    const { attributes, errors } = desiredDistribution(s, resolver, liveOrigins);
    return {
      attributes: { ...asAttrs(attributes), tags: { ...resolver.env.tags, ...(s.tags ?? {}) } },
      ...(errors.length > 0 ? { errors } : {}),
    };
  },

  /**
   * One paginated ListDistributions, ListTagsForResource per distribution (no batch API), and
   * GetDistributionConfig for ours only: list summaries lack aliases, comment and enabled in
   * some implementations, and the config's ETag is needed to update anyway.
   */
  async observe(ctx, _nodes, env) {
    const found = await listWithTags(ctx, env);
    const observed: ObservedNode[] = [];
    for (const f of found.filter((x) => x.owner.managed)) {
      const id = f.summary.Id ?? "";
      const current = await getConfig(ctx, id);
      if (!current) continue;
      observed.push({
        type: TYPE,
        ...(f.owner.address ? { address: f.owner.address } : {}),
        id,
        managed: true,
        protect: f.owner.protect,
        attributes: { ...asAttrs(canonicalFromConfig(current.config)), tags: f.tags },
        outputs: distributionOutputs(id, f.summary.ARN ?? "", f.summary.DomainName ?? ""),
        details: { etag: current.etag, status: f.summary.Status ?? "" },
      });
    }
    return observed;
  },

  async create(ctx, op) {
    const node = op.node!;
    const desired = op.desired ?? {};
    const tags = {
      ...(desired.tags as Record<string, string>),
      ...ownershipTags(op.env, node.address, node.protect),
    };
    let made: Outputs;
    try {
      const answer = await ctx.cloudfront.send(
        new CreateDistributionWithTagsCommand({
          DistributionConfigWithTags: {
            // The CallerReference makes the create idempotent: a re-run cannot make a second one.
            DistributionConfig: newConfig(ctx.token(node.address), fromAttrs(desired)),
            Tags: { Items: toAwsTags(tags) },
          },
        }),
      );
      const d = answer.Distribution;
      made = distributionOutputs(d?.Id ?? "", d?.ARN ?? "", d?.DomainName ?? "");
    } catch (error) {
      if (!isAwsError(error, "DistributionAlreadyExists")) throw error;
      // An interrupted apply already created it with our CallerReference: converge that one.
      const ours = (await listWithTags(ctx, op.env)).find(
        (f) => f.owner.managed && f.owner.address === node.address,
      );
      if (!ours) throw error;
      made = distributionOutputs(
        ours.summary.Id ?? "",
        ours.summary.ARN ?? "",
        ours.summary.DomainName ?? "",
      );
      await converge(ctx, String(made.id), op);
    }
    await settle(ctx, String(made.id), op);
    return made;
  },

  async update(ctx, op) {
    const observed = op.observed!;
    await converge(ctx, observed.id, op);
    await tagDifference(
      ctx,
      String(observed.outputs.arn),
      (observed.attributes.tags ?? {}) as Record<string, string>,
      (op.desired?.tags ?? {}) as Record<string, string>,
    );
    await settle(ctx, observed.id, op);
    return observed.outputs;
  },

  async adopt(ctx, op) {
    await ctx.cloudfront.send(
      new TagResourceCommand({
        Resource: String(op.observed!.outputs.arn),
        Tags: { Items: adoptionTags(op) },
      }),
    );
    return distributionType.update(ctx, op);
  },

  /**
   * CloudFront deletes only a disabled, deployed distribution: disable, wait for Deployed (even
   * with --no-wait: there is no other way), then delete with the latest ETag.
   */
  async delete(ctx, op) {
    const id = op.observed?.id ?? op.change.id ?? "";
    const current = await getConfig(ctx, id);
    if (!current) return;
    if (current.config.Enabled) {
      await putConfig(ctx, id, current.etag, { ...current.config, Enabled: false });
      op.progress(`disabled distribution ${id}; waiting for CloudFront to deploy that before deleting`);
    }
    const etag = await waitDeployed(ctx, id, op);
    await tolerate(
      () => ctx.cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: etag })),
      "NoSuchDistribution",
    );
  },
};

function behaviorProblems(b: BehaviorSpec, path: (string | number)[], origins: string[]): KindProblem[] {
  const out: KindProblem[] = [];
  if (!origins.includes(b.origin)) {
    out.push({
      path: [...path, "origin"],
      message: `"${b.origin}" is not one of this distribution's origins`,
      hint: origins.length ? `one of: ${origins.join(", ")}` : "add it under origins",
    });
  }
  if (b.forwardHeaders !== undefined && b.cachePolicyId !== undefined) {
    out.push({
      path: [...path, "forwardHeaders"],
      message: "set either forwardHeaders or cachePolicyId, not both",
      hint: "with a cache policy, forward headers with an originRequestPolicyId",
    });
  }
  return out;
}

/** What the schema cannot say: behaviours name real origins, paths are unique, the certificate suits CloudFront. */
function check(_address: string, value: { [key: string]: Value }): KindProblem[] {
  const s = spec(value);
  const origins = Object.keys(s.origins ?? {});
  const problems = behaviorProblems(s.defaultBehavior, ["defaultBehavior"], origins);
  const seen = new Set<string>();
  (s.behaviors ?? []).forEach((b, i) => {
    problems.push(...behaviorProblems(b, ["behaviors", i], origins));
    if (seen.has(b.path ?? ""))
      problems.push({ path: ["behaviors", i, "path"], message: `duplicate path pattern ${b.path}` });
    seen.add(b.path ?? "");
  });
  const arn = typeof s.certificate === "string" ? s.certificate : s.certificate?.arn;
  const region = arn?.split(":")[3];
  if (region && region !== CERTIFICATE_REGION) {
    problems.push({
      path: ["certificate"],
      message: `CloudFront only uses certificates from ${CERTIFICATE_REGION}; this one is in ${region}`,
      hint: `request or import the certificate in ${CERTIFICATE_REGION}, or use { domain: … } to look it up there`,
    });
  }
  if ((s.aliases ?? []).length > 0 && s.certificate === undefined) {
    problems.push({
      path: ["aliases"],
      message: "aliases need a certificate that covers them",
      hint: 'add certificate: { domain: "*.example.com" }',
    });
  }
  return problems;
}

export const distributions: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: distributionSchema,
  outputs: ["id", "arn", "domainName", "dnsName", "hostedZoneId"],
  expand: oneNode(TYPE),
  types: [distributionType],
  check,
};
