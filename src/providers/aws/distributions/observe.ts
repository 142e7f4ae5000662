import {
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  paginateListDistributions,
} from "@aws-sdk/client-cloudfront";
import type { DistributionConfig, DistributionSummary } from "@aws-sdk/client-cloudfront";
import pLimit from "p-limit";
import type { EnvironmentInfo, Facts, Outputs } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import { issuedCertificates } from "../certificates/issued.js";
import { claim, claimed } from "../common/adoption.js";
import { fromAwsTags, ownershipOf } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import {
  CERTIFICATE_FACTS,
  CERTIFICATE_REGION,
  CLOUDFRONT_HOSTED_ZONE_ID,
  asAttrs,
  sortAliases,
} from "./canonical.js";
import { CANDIDATES, matchDistributions } from "./adoption.js";
import type { AdoptionWish } from "./adoption.js";
import { canonicalFromConfig } from "./config.js";
import { TYPE, distributionSpec } from "./schema.js";

/** CloudFront has no batch tag API: this many ListTagsForResource calls run at once. */
const TAG_READS = 4;

export type Listed = { summary: DistributionSummary; tags: TagMap };

export function distributionOutputs(id: string, arn: string, domainName: string): Outputs {
  return { id, arn, domainName, dnsName: domainName, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID };
}

export function outputsOf(summary: Partial<Pick<DistributionSummary, "Id" | "ARN" | "DomainName">>): Outputs {
  return distributionOutputs(summary.Id ?? "", summary.ARN ?? "", summary.DomainName ?? "");
}

/**
 * Every distribution of the account with its tags: one paginated ListDistributions (global),
 * then ListTagsForResource per distribution, as CloudFront has no way to read many at once.
 */
export async function listDistributions(ctx: AwsContext): Promise<Listed[]> {
  const summaries: DistributionSummary[] = [];
  for await (const page of paginateListDistributions({ client: ctx.cloudfront }, {})) {
    summaries.push(...(page.DistributionList?.Items ?? []));
  }
  const limit = pLimit(TAG_READS);
  const listed = await Promise.all(
    summaries.map((summary) =>
      limit(async (): Promise<Listed | undefined> => {
        // Gone between the listing and this read: nothing to observe.
        const answer = await tolerate(
          () => ctx.cloudfront.send(new ListTagsForResourceCommand({ Resource: summary.ARN })),
          "NoSuchDistribution",
          "NoSuchResource",
        );
        return answer ? { summary, tags: fromAwsTags(answer.Tags?.Items) } : undefined;
      }),
    ),
  );
  return listed.filter((l): l is Listed => l !== undefined);
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

function wishesOf(nodes: DesiredNode[]): AdoptionWish[] {
  return nodes.map((node) => {
    const spec = distributionSpec(node);
    return {
      address: node.address,
      ...(spec.id !== undefined ? { id: spec.id } : {}),
      aliases: spec.aliases ?? [],
    };
  });
}

/**
 * One paginated ListDistributions, ListTagsForResource per distribution (no batch API), and
 * GetDistributionConfig for ours and, when the file has distributions, for the rest too: list
 * summaries lack aliases in some implementations, aliases are how the file adopts one by hand,
 * and the config's ETag is needed to update anyway.
 */
export async function observeDistributions(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const listed = await listDistributions(ctx);
  const isOurs = (l: Listed) => ownershipOf(l.tags, env).status === "ours";
  const isLegacy = (l: Listed) => ownershipOf(l.tags, env).status === "legacy";
  const configs = new Map<string, { config: DistributionConfig; etag: string }>();
  const limit = pLimit(TAG_READS);
  await Promise.all(
    listed
      .filter((l) => nodes.length > 0 || isOurs(l))
      .map((l) =>
        limit(async () => {
          const id = l.summary.Id ?? "";
          const current = await getConfig(ctx, id);
          if (current) configs.set(id, current);
        }),
      ),
  );
  const taken = new Set<string>();
  for (const l of listed) {
    const owner = ownershipOf(l.tags, env);
    if (owner.status === "ours") taken.add(owner.address);
  }
  const legacy = legacyAliases(listed, configs, nodes, env);
  // A legacy distribution is the file's by the aliases at its recorded address, not by matching.
  const candidates = listed
    .filter((l) => !isOurs(l) && !isLegacy(l))
    .map((l) => ({
      id: l.summary.Id ?? "",
      aliases: configs.get(l.summary.Id ?? "")?.config.Aliases?.Items ?? [],
    }));
  const match = matchDistributions(
    wishesOf(nodes).filter((w) => !taken.has(w.address)),
    candidates,
  );
  const claims = claim(listed, {
    tagsOf: (l) => l.tags,
    keyOf: (l) => match.byId.get(l.summary.Id ?? ""),
    labelOf: (l) => `distribution ${l.summary.Id ?? ""}`,
    wanted: new Map([...match.byId.values()].map((address) => [address, address])),
    env,
    legacyIdentity: (l, address) => legacy.get(l.summary.Id ?? "") === aliasesAt(nodes, address),
  });
  const observed: ObservedNode[] = [];
  for (const { item, claim: owner } of claims) {
    const id = item.summary.Id ?? "";
    const current = configs.get(id);
    if (!current) continue;
    const others = match.ambiguous.get(owner.address);
    observed.push({
      type: TYPE,
      ...claimed(owner),
      id,
      attributes: { ...asAttrs(canonicalFromConfig(current.config)), tags: item.tags },
      outputs: outputsOf(item.summary),
      details: {
        etag: current.etag,
        status: item.summary.Status ?? "",
        ...(!owner.managed && others ? { [CANDIDATES]: others } : {}),
      },
    });
  }
  return observed;
}

/** The aliases the file gives the entry at `address`, as one comparable string; undefined if none is there. */
function aliasesAt(nodes: DesiredNode[], address: string): string | undefined {
  const node = nodes.find((n) => n.address === address);
  return node ? sortAliases(distributionSpec(node).aliases ?? []).join(",") : undefined;
}

/**
 * A legacy distribution (tagged with the environment's name only) is the file's when the entry at
 * its recorded address serves the same aliases: the address alone could be a sibling file's.
 */
function legacyAliases(
  listed: Listed[],
  configs: Map<string, { config: DistributionConfig }>,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of listed) {
    const owner = ownershipOf(l.tags, env);
    if (owner.status !== "legacy" || aliasesAt(nodes, owner.address) === undefined) continue;
    const aliases = configs.get(l.summary.Id ?? "")?.config.Aliases?.Items ?? [];
    out.set(l.summary.Id ?? "", sortAliases(aliases).join(","));
  }
  return out;
}

/** ACM certificates of us-east-1, looked up only when an entry names its certificate by domain. */
export async function lookupCertificates(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const byDomain = nodes.some((n) => {
    const certificate = distributionSpec(n).certificate;
    return typeof certificate === "object" && certificate.domain !== undefined;
  });
  if (!byDomain) return {};
  return { [CERTIFICATE_FACTS]: await issuedCertificates(ctx, CERTIFICATE_REGION) };
}
