import { AddTagsToResourceCommand, DescribeDBSnapshotsCommand } from "@aws-sdk/client-rds";
import type { DBSnapshot } from "@aws-sdk/client-rds";
import type { EnvironmentInfo } from "../../../engine/types.js";
import { fromAwsTags, identityTags, toAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";

/** The entry a promotion snapshot was taken for, beside the environment's identity tags. */
export const TAG_SNAPSHOT_FOR = "parity:snapshotFor";
/** Written once the restore from the snapshot succeeded: it is a backup now, no promotion in progress. */
export const TAG_RESTORE_DONE = "parity:restoreDone";

/** The tags of the fresh snapshot a promotion of `address` takes. */
export function promotionTags(env: EnvironmentInfo, address: string): TagMap {
  return { ...identityTags(env), [TAG_SNAPSHOT_FOR]: address };
}

function isUnfinishedPromotion(snapshot: DBSnapshot, wanted: TagMap): boolean {
  const tags = fromAwsTags(snapshot.TagList);
  const usable = snapshot.Status === "available" || snapshot.Status === "creating";
  return (
    usable && tags[TAG_RESTORE_DONE] === undefined && Object.entries(wanted).every(([k, v]) => tags[k] === v)
  );
}

/**
 * A snapshot of `source` that an earlier run took for this promotion and never restored from (it
 * was interrupted or failed after the snapshot). Reusing it keeps a re-run from leaving a second
 * copy of the source's data behind; the newest wins if there are several.
 */
export async function unfinishedPromotion(
  ctx: AwsContext,
  source: string,
  env: EnvironmentInfo,
  address: string,
): Promise<DBSnapshot | undefined> {
  const wanted = promotionTags(env, address);
  const found: DBSnapshot[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.rds.send(
      new DescribeDBSnapshotsCommand({
        DBInstanceIdentifier: source,
        SnapshotType: "manual",
        ...(marker ? { Marker: marker } : {}),
      }),
    );
    found.push(...(page.DBSnapshots ?? []).filter((s) => isUnfinishedPromotion(s, wanted)));
    marker = page.Marker;
  } while (marker);
  const newestFirst = (a: DBSnapshot, b: DBSnapshot) =>
    (b.SnapshotCreateTime?.getTime() ?? 0) - (a.SnapshotCreateTime?.getTime() ?? 0);
  return found.sort(newestFirst)[0];
}

/** Marks the promotion snapshot used, so no later promotion mistakes it for an unfinished one. */
export async function finishPromotion(ctx: AwsContext, snapshotArn: string | undefined): Promise<void> {
  if (!snapshotArn) return;
  await ctx.rds.send(
    new AddTagsToResourceCommand({
      ResourceName: snapshotArn,
      Tags: toAwsTags({ [TAG_RESTORE_DONE]: "true" }),
    }),
  );
}
