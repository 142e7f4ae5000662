import {
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  paginateListDistributions,
} from "@aws-sdk/client-cloudfront";
import type { Distribution, DistributionConfig, DistributionSummary } from "@aws-sdk/client-cloudfront";
import pLimit from "p-limit";
import type { LimitFunction } from "p-limit";
import type { EnvironmentInfo, Facts, Outputs } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import { issuedCertificates } from "../certificates/issued.js";
import { claim, claimed } from "../common/adoption.js";
import { fromAwsTags, ownershipOf } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { listedTagsSuffice } from "../common/claimTags.js";
import { GLOBAL_REGION, environmentResources, resourcesOf } from "../common/tagged.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import {
  CERTIFICATE_FACTS,
  CERTIFICATE_REGION,
  CLOUDFRONT_HOSTED_ZONE_ID,
  asAttrs,
  hostName,
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
 * then ListTagsForResource per distribution, as CloudFront has no way to read many at once. It
 * costs a call per distribution in the account: for what must see them all (a re-run create
 * looking for the one it made), never for a plan's discovery (`observeDistributions`).
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

/** What the plan needs of a live distribution: its identity, status, configuration and tags. */
type Read = {
  summary: Pick<Distribution, "Id" | "ARN" | "DomainName" | "Status">;
  tags: TagMap;
  current: { config: DistributionConfig; etag: string };
};

/** The distributions the tagging API lists: `arn:aws:cloudfront::account:distribution/ID`. */
const DISTRIBUTION_ARN = /:distribution\/([A-Z0-9]+)$/;

async function listSummaries(ctx: AwsContext): Promise<DistributionSummary[]> {
  const summaries: DistributionSummary[] = [];
  // 100 a page, CloudFront's default and its maximum.
  for await (const page of paginateListDistributions({ client: ctx.cloudfront }, {})) {
    summaries.push(...(page.DistributionList?.Items ?? []));
  }
  return summaries;
}

/**
 * The distribution itself (configuration, ETag, status) and its tags, read at once: `listed`, the
 * tagging API's, stand in for CloudFront's where they may (see `listedTagsSuffice`), which saves
 * the second call. Undefined when it is gone.
 */
async function readDistribution(
  ctx: AwsContext,
  id: string,
  arn: string,
  listed?: TagMap,
): Promise<Read | undefined> {
  const gone = ["NoSuchDistribution", "NoSuchResource"];
  const [tags, answer] = await Promise.all([
    listed ??
      tolerate(() => ctx.cloudfront.send(new ListTagsForResourceCommand({ Resource: arn })), ...gone).then(
        (found) => found && fromAwsTags(found.Tags?.Items),
      ),
    tolerate(() => ctx.cloudfront.send(new GetDistributionCommand({ Id: id })), ...gone),
  ]);
  const found = answer?.Distribution;
  if (!tags || !found?.DistributionConfig) return undefined;
  const { Id, ARN, DomainName, Status } = found;
  return {
    summary: { Id, ARN, DomainName, Status },
    tags,
    current: { config: found.DistributionConfig, etag: answer?.ETag ?? "" },
  };
}

/**
 * The live distributions an entry still looking for one could adopt: the one its `id` names, or
 * the ones serving one of its aliases. A list summary carries the aliases on AWS; where it does
 * not (moto), the configuration says them, read only while some entry is looking.
 */
async function adoptionCandidates(
  ctx: AwsContext,
  unread: DistributionSummary[],
  open: AdoptionWish[],
  limit: LimitFunction,
): Promise<DistributionSummary[]> {
  const ids = new Set(open.flatMap((w) => (w.id !== undefined ? [w.id] : [])));
  const aliases = new Set(open.flatMap((w) => (w.id === undefined ? w.aliases.map(hostName) : [])));
  const serves = (names: string[] | undefined) => (names ?? []).some((a) => aliases.has(hostName(a)));
  const unknown = aliases.size > 0 ? unread.filter((s) => !ids.has(s.Id ?? "") && !s.Aliases) : [];
  const configs = await Promise.all(unknown.map((s) => limit(() => getConfig(ctx, s.Id ?? ""))));
  const served = new Set(unknown.filter((_, i) => serves(configs[i]?.config.Aliases?.Items)));
  return unread.filter((s) => ids.has(s.Id ?? "") || served.has(s) || serves(s.Aliases?.Items));
}

/**
 * Distributions are found without reading every one in the account: the tagging API lists what
 * carries this environment's name, and each of those is read (the distribution, and its tags
 * unless the listed ones are enough: the file's unprotected distributions of ours). Only while an
 * entry has none of ours standing for it is the account listed (ListDistributions, a call per
 * 100), to read the ones its id or aliases name. `claim` decides on CloudFront's own tags for
 * every distribution the plan may adopt, refuse or delete.
 */
export async function observeDistributions(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const tagged = await environmentResources(ctx, env, GLOBAL_REGION);
  const declared = new Set(nodes.map((n) => n.address));
  const protectedInFile = new Set(nodes.filter((n) => n.protect).map((n) => n.address));
  const limit = pLimit(TAG_READS);
  const readAll = async (list: { id: string; arn: string; tags?: TagMap }[]) =>
    (
      await Promise.all(
        list.map((d) => {
          const known = listedTagsSuffice(d.tags, env, declared, protectedInFile) ? d.tags : undefined;
          return limit(() => readDistribution(ctx, d.id, d.arn, known));
        }),
      )
    ).filter((r): r is Read => r !== undefined);
  const listed = await readAll(resourcesOf(tagged, "cloudfront", DISTRIBUTION_ARN));
  const statusOf = (l: Read) => ownershipOf(l.tags, env).status;
  const taken = new Set<string>();
  for (const l of listed) {
    const owner = ownershipOf(l.tags, env);
    if (owner.status === "ours") taken.add(owner.address);
  }
  const open = wishesOf(nodes).filter((w) => !taken.has(w.address));
  if (open.length > 0) {
    const seen = new Set(listed.map((l) => l.summary.Id));
    const unread = (await listSummaries(ctx)).filter((s) => !seen.has(s.Id));
    const wanted = await adoptionCandidates(ctx, unread, open, limit);
    listed.push(...(await readAll(wanted.map((s) => ({ id: s.Id ?? "", arn: s.ARN ?? "" })))));
  }
  const legacy = legacyAliases(listed, nodes, env);
  // A legacy distribution is the file's by the aliases at its recorded address, not by matching.
  const candidates = listed
    .filter((l) => statusOf(l) !== "ours" && statusOf(l) !== "legacy")
    .map((l) => ({ id: l.summary.Id ?? "", aliases: l.current.config.Aliases?.Items ?? [] }));
  const match = matchDistributions(open, candidates);
  const claims = claim(listed, {
    tagsOf: (l) => l.tags,
    keyOf: (l) => match.byId.get(l.summary.Id ?? ""),
    labelOf: (l) => `distribution ${l.summary.Id ?? ""}`,
    wanted: new Map([...match.byId.values()].map((address) => [address, address])),
    env,
    legacyIdentity: (l, address) => legacy.get(l.summary.Id ?? "") === aliasesAt(nodes, address),
  });
  return claims.map(({ item, claim: owner }) => {
    const others = match.ambiguous.get(owner.address);
    return {
      type: TYPE,
      ...claimed(owner),
      id: item.summary.Id ?? "",
      attributes: { ...asAttrs(canonicalFromConfig(item.current.config)), tags: item.tags },
      outputs: outputsOf(item.summary),
      details: {
        etag: item.current.etag,
        status: item.summary.Status ?? "",
        ...(!owner.managed && others ? { [CANDIDATES]: others } : {}),
      },
    };
  });
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
function legacyAliases(listed: Read[], nodes: DesiredNode[], env: EnvironmentInfo): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of listed) {
    const owner = ownershipOf(l.tags, env);
    if (owner.status !== "legacy" || aliasesAt(nodes, owner.address) === undefined) continue;
    out.set(l.summary.Id ?? "", sortAliases(l.current.config.Aliases?.Items ?? []).join(","));
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
