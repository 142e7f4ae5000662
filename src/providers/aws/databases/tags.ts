import { AddTagsToResourceCommand, RemoveTagsFromResourceCommand } from "@aws-sdk/client-rds";
import type { DBInstance } from "@aws-sdk/client-rds";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Tagger } from "../common/adoption.js";
import { creationTags, fromAwsTags, toAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import type { DatabaseAttributes } from "./desired.js";

/** Records which database a restored instance holds the data of, so a restore happens once. */
export const TAG_RESTORED_FROM = "parity:restoredFrom";

/**
 * RDS writes tags by ARN, which discovery keeps in the node's details; the node's id is the
 * identifier, which every other RDS call takes.
 */
export function rdsTagger(arn: string): Tagger {
  return async (ctx, _identifier, tags) => {
    await ctx.rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: toAwsTags(tags) }));
  };
}

/** A new instance's tags: the file's and ownership, and the restore source when it holds that data. */
export function instanceTags(
  env: EnvironmentInfo,
  node: { address: string; protect: boolean },
  attributes: DatabaseAttributes,
): TagMap {
  const source = attributes.restoreFrom?.snapshotOf;
  return {
    ...creationTags(env, node, attributes.tags),
    ...(source !== undefined ? { [TAG_RESTORED_FROM]: source } : {}),
  };
}

/**
 * How to make an instance's tags ours: add what differs, and drop any `parity:` tag we do not
 * want (a restore copies the source's ownership tags, which would claim the copy for the source).
 */
export function tagRepair(have: TagMap, want: TagMap): { add: TagMap; remove: string[] } {
  const add = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  const remove = Object.keys(have).filter((k) => k.startsWith("parity:") && !(k in want));
  return { add, remove };
}

/** Adds what differs and removes stray `parity:` tags (copied from a restore's source). */
export async function repairTags(ctx: AwsContext, db: DBInstance, want: TagMap): Promise<void> {
  const arn = db.DBInstanceArn ?? "";
  const { add, remove } = tagRepair(fromAwsTags(db.TagList), want);
  if (remove.length > 0)
    await ctx.rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: remove }));
  if (Object.keys(add).length > 0) await rdsTagger(arn)(ctx, db.DBInstanceIdentifier ?? "", add, {});
}
