import pLimit from "p-limit";
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  paginateListHostedZones,
} from "@aws-sdk/client-route-53";
import type { Change, ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { Operation } from "../../../engine/types.js";
import type { Patience } from "../common/waiting.js";
import { settle } from "../common/waiting.js";
import type { AwsContext } from "../context.js";
import { normaliseName } from "./canonical.js";

/** Route53 reports a change INSYNC once every name server answers with it, usually within a minute. */
const PROPAGATING: Patience = { timeoutMs: 15 * 60_000, intervalMs: 5000 };

export type Zone = { id: string; name: string };

/** A zone as the account's listing gives it: whether it is private decides which of two same-named ones is served. */
type ListedZone = Zone & { private: boolean };

/**
 * Every hosted zone of the account, once per context: the dns and certificates kinds find the
 * file's zones in it by name and the marked ones by their tags, so a plan lists the account's
 * zones once instead of also asking for each name.
 */
function listedZones(ctx: AwsContext): Promise<ListedZone[]> {
  return ctx.readOnce("route53:zones", async () => {
    const all: ListedZone[] = [];
    for await (const page of paginateListHostedZones({ client: ctx.route53 }, {})) {
      for (const z of page.HostedZones ?? []) {
        if (!z.Id) continue;
        const id = z.Id.replace(/^\/hostedzone\//, "");
        all.push({ id, name: normaliseName(z.Name ?? ""), private: z.Config?.PrivateZone === true });
      }
    }
    return all;
  });
}

/** The hosted zone of this name; a public one when a private one shares the name (it serves the world). */
export async function findZone(ctx: AwsContext, name: string): Promise<Zone | undefined> {
  const wanted = normaliseName(name);
  const matches = (await listedZones(ctx)).filter((z) => z.name === wanted);
  const zone = matches.find((z) => !z.private) ?? matches[0];
  return zone && { id: zone.id, name: zone.name };
}

export async function lookupZone(ctx: AwsContext, name: string): Promise<Zone | undefined> {
  // Zones are listed in name order starting at DNSName, so an exact match comes first.
  const answer = await ctx.route53.send(new ListHostedZonesByNameCommand({ DNSName: name }));
  const matches = (answer.HostedZones ?? []).filter((z) => normaliseName(z.Name ?? "") === name);
  // A public and a private zone may share the name: the public one serves the world.
  const zone = matches.find((z) => !z.Config?.PrivateZone) ?? matches[0];
  return zone?.Id ? { id: zone.Id.replace(/^\/hostedzone\//, ""), name } : undefined;
}

/** ListTagsForResources reads at most this many zones per call. */
const TAG_BATCH = 10;
const TAG_READS_IN_PARALLEL = 3;

/**
 * The zones this environment has written records to, found by the tag `markZone` leaves on each:
 * how records are found once the file no longer names their zone (a `dns:` block removed, or its
 * `zone` changed). The account's zone listing, then one ListTagsForResources per ten zones, per
 * context (each plan makes its own), whatever the key.
 */
export async function markedZones(ctx: AwsContext, key: string): Promise<Zone[]> {
  const tagged = await ctx.readOnce("route53:zoneTags", () => listZoneTags(ctx));
  return tagged.filter((z) => z.keys.has(key)).map((z) => z.zone);
}

async function listZoneTags(ctx: AwsContext): Promise<{ zone: Zone; keys: Set<string> }[]> {
  const all = (await listedZones(ctx)).map(({ id, name }) => ({ id, name }));
  const batches: string[][] = [];
  for (let i = 0; i < all.length; i += TAG_BATCH) batches.push(all.slice(i, i + TAG_BATCH).map((z) => z.id));
  // A few at once: in a sequence every ten zones of the account would add a round trip to each
  // plan; all at once, a large account would hit Route 53's limit of five requests a second.
  const limit = pLimit(TAG_READS_IN_PARALLEL);
  const answers = await Promise.all(
    batches.map((ids) =>
      limit(() =>
        ctx.route53.send(new ListTagsForResourcesCommand({ ResourceType: "hostedzone", ResourceIds: ids })),
      ),
    ),
  );
  const keys = new Map<string, Set<string>>();
  for (const set of answers.flatMap((a) => a.ResourceTagSets ?? [])) {
    if (set.ResourceId)
      keys.set(set.ResourceId, new Set((set.Tags ?? []).flatMap((t) => (t.Key ? [t.Key] : []))));
  }
  return all.map((zone) => ({ zone, keys: keys.get(zone.id) ?? new Set() }));
}

/** Leaves the tag `markedZones` looks for (a record cannot carry one; its zone can). */
export async function markZone(ctx: AwsContext, zoneId: string, key: string): Promise<void> {
  await ctx.route53.send(
    new ChangeTagsForResourceCommand({
      ResourceType: "hostedzone",
      ResourceId: zoneId,
      AddTags: [{ Key: key, Value: "records" }],
    }),
  );
}

/** Every record set of the zone: one paginated ListResourceRecordSets. */
export async function listRecordSets(ctx: AwsContext, zoneId: string): Promise<ResourceRecordSet[]> {
  const out: ResourceRecordSet[] = [];
  let next: {
    StartRecordName?: string;
    StartRecordType?: ResourceRecordSet["Type"];
    StartRecordIdentifier?: string;
  } = {};
  for (;;) {
    const page = await ctx.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...next }));
    out.push(...(page.ResourceRecordSets ?? []));
    if (!page.IsTruncated) return out;
    next = {
      ...(page.NextRecordName ? { StartRecordName: page.NextRecordName } : {}),
      ...(page.NextRecordType ? { StartRecordType: page.NextRecordType } : {}),
      ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
    };
  }
}

/** Whether a record set with this name and type still exists (to make deletes idempotent). */
export async function recordExists(
  ctx: AwsContext,
  zoneId: string,
  set: ResourceRecordSet,
): Promise<boolean> {
  const page = await ctx.route53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      StartRecordName: set.Name,
      StartRecordType: set.Type,
      MaxItems: 1,
    }),
  );
  const first = page.ResourceRecordSets?.[0];
  return (
    !!first && normaliseName(first.Name ?? "") === normaliseName(set.Name ?? "") && first.Type === set.Type
  );
}

/** Submits one atomic change batch and waits until Route53 reports it INSYNC (unless --no-wait). */
export async function changeRecords(
  ctx: AwsContext,
  zoneId: string,
  changes: Change[],
  comment: string,
  op: Operation,
): Promise<void> {
  const answer = await ctx.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Comment: comment, Changes: changes },
    }),
  );
  const id = answer.ChangeInfo?.Id;
  if (!id) return;
  await settle(op, "the DNS change to reach every Route53 name server", PROPAGATING, async () => {
    const status = await ctx.route53.send(new GetChangeCommand({ Id: id }));
    return status.ChangeInfo?.Status === "INSYNC";
  });
}
