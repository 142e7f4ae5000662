import { GetBucketLocationCommand, GetBucketWebsiteCommand, paginateListBuckets } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { ExportItem, Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { exportedTags, itemOf } from "../common/exporting.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import { bucketOutputs, regionFromLocation } from "./naming.js";
import { websiteAttributes } from "./observe.js";
import { readTags } from "./tagging.js";

/** S3 reads take one bucket each: a few at a time. */
const READS_IN_PARALLEL = 8;

/** The account's buckets that live in the region (ListBuckets is global), with tags and website. */
export const bucketExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const names: string[] = [];
    for await (const page of paginateListBuckets({ client: ctx.s3 }, {}))
      for (const bucket of page.Buckets ?? []) if (bucket.Name) names.push(bucket.Name);
    const limit = pLimit(READS_IN_PARALLEL);
    const found = await Promise.all(
      names.map((name) =>
        limit(async (): Promise<ExportItem | undefined> => {
          const location = await ctx.s3.send(new GetBucketLocationCommand({ Bucket: name }));
          const region = regionFromLocation(location.LocationConstraint);
          if (region !== env.region) return undefined;
          const [tags, website] = await Promise.all([
            readTags(ctx, name),
            tolerate(
              () => ctx.s3.send(new GetBucketWebsiteCommand({ Bucket: name })),
              "NoSuchWebsiteConfiguration",
            ),
          ]);
          const node = {
            id: name,
            attributes: { name, website: websiteAttributes(website) },
            outputs: bucketOutputs(name, region),
            details: { routingRules: (website?.RoutingRules ?? []).length },
          };
          return itemOf(node, name, tags ?? {}, env);
        }),
      ),
    );
    return found.filter((item): item is ExportItem => item !== undefined);
  },
  entry([item]) {
    const omitted: string[] = [];
    const site = item!.attributes.website;
    let website: { [key: string]: Value } | undefined;
    if (isPlainObject(site)) {
      const { redirectAllRequestsTo, ...rest } = site;
      if (redirectAllRequestsTo !== undefined)
        omitted.push(`its website redirects every request to ${String(redirectAllRequestsTo)}`);
      else website = rest;
      if (Number(item!.details?.routingRules ?? 0) > 0) omitted.push("its website's routing rules");
    }
    return {
      spec: { name: item!.name, ...(website ? { website } : {}), ...exportedTags(item!.tags) },
      omitted,
    };
  },
  keyNoise: ["bucket", "s3"],
};
