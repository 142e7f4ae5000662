import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import type { Tagger } from "./adoption.js";
import { toAwsTags } from "./ownership.js";

/** EC2 adds or overwrites tags by resource id; the rest of the set stays. */
export const ec2Tagger: Tagger = async (ctx, id, tags) => {
  await ctx.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: toAwsTags(tags) }));
};
