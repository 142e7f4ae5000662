import type { Facts } from "../../../engine/types.js";
import type { DesiredNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { awsErrorName, isAwsError } from "../errors.js";
import { COPYING_TAG, COPY_SOURCES, resolveSource } from "./copy.js";
import { holdsObjects, summarise } from "./objects.js";
import { bucketSpec } from "./schema.js";
import { readTags } from "./tagging.js";

/** Whether the target needs its source listed at plan time: it is new or empty, or a copy was interrupted. */
async function targetNeedsCopy(ctx: AwsContext, target: string, source: string): Promise<boolean> {
  try {
    if (!(await holdsObjects(ctx.s3, target))) return true;
    return (await readTags(ctx, target))?.[COPYING_TAG] === source;
  } catch {
    // Missing, or unreadable from here: observe reports what is wrong with the target itself;
    // listing the source is the safe default.
    return true;
  }
}

/**
 * Plan-time facts for copies: each source's object count and size. A source is listed in full
 * (one call per 1,000 objects) only when a copy may happen, never on every plan of a seeded bucket.
 */
export async function lookupCopySources(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  const names = new Map(nodes.map((n) => [n.address, bucketSpec(n).name]));
  const sources: { [name: string]: Value } = {};
  await Promise.all(
    nodes.map(async (node) => {
      const spec = bucketSpec(node);
      if (!spec.copyFrom) return;
      const source = resolveSource(spec.copyFrom, (address) => names.get(address) ?? "");
      if (typeof source !== "string" || !source || source in sources) return;
      if (!(await targetNeedsCopy(ctx, spec.name, source))) return;
      try {
        sources[source] = await summarise(ctx.s3, source);
      } catch (error) {
        if (isAwsError(error, "NoSuchBucket")) sources[source] = { unreadable: "it does not exist" };
        else if (isAwsError(error, "AccessDenied", "PermanentRedirect", "AuthorizationHeaderMalformed")) {
          sources[source] = { unreadable: awsErrorName(error) };
        } else throw error;
      }
    }),
  );
  return { [COPY_SOURCES]: sources };
}
