import { AddTagsToResourceCommand, ListTagsForResourceCommand } from "@aws-sdk/client-ssm";
import type { Tagger } from "../common/adoption.js";
import { fromAwsTags, toAwsTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";

export async function listTags(ctx: AwsContext, name: string): Promise<TagMap> {
  const found = await ctx.ssm.send(
    new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name }),
  );
  return fromAwsTags(found.TagList);
}

/** AddTagsToResource adds or overwrites tags by key; the rest of the set stays. */
export const parameterTagger: Tagger = async (ctx, name, tags) => {
  await ctx.ssm.send(
    new AddTagsToResourceCommand({ ResourceType: "Parameter", ResourceId: name, Tags: toAwsTags(tags) }),
  );
};
