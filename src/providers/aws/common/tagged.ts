import { paginateGetResources } from "@aws-sdk/client-resource-groups-tagging-api";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { TAG_ENVIRONMENT, fromAwsTags } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/** A resource the tagging API lists: its ARN, and its tags as that API last saw them. */
export type TaggedResource = { arn: string; tags: TagMap };

/** Real AWS lists global resources (CloudFront distributions) through the tagging API of us-east-1 only. */
export const GLOBAL_REGION = "us-east-1";

/** GetResources' largest page. */
const RESOURCES_PER_PAGE = 100;
/** Its largest page by tags: moto ends a page at 100 tags unless told, about 15 of our resources. */
const TAGS_PER_PAGE = 500;

/**
 * The resource types found through the tagging API, the ones whose own services cannot find them
 * by tag in one call: buckets and parameters in the environment's region, distributions in
 * us-east-1; ELBv2 load balancers and target groups, whose tags it answers with instead of a
 * DescribeTags; caches and databases, so a file without any skips their listings when none is
 * ours, and AMIs likewise. `elasticache` is the service's prefix (valid on AWS, and the one form the emulators
 * match). Instances, groups and the rest are found by their own tag-filtered listings, and
 * asking for them here would only make this list grow with the environment.
 */
const REGIONAL_TYPES = [
  "s3",
  "ssm:parameter",
  "elasticloadbalancing:loadbalancer",
  "elasticloadbalancing:targetgroup",
  "elasticache",
  "rds:db",
  "ec2:image",
];
const GLOBAL_TYPES = ["cloudfront"];

function typesIn(ctx: AwsContext, region: string): string[] {
  if (region !== ctx.region) return GLOBAL_TYPES;
  return region === GLOBAL_REGION ? [...REGIONAL_TYPES, ...GLOBAL_TYPES] : REGIONAL_TYPES;
}

/**
 * The resources of `region` tagged with this environment's name, of the types above: one
 * paginated GetResources per region and discovery, shared by every kind that asks (the context
 * keeps it), so finding what is ours costs the same however crowded the account is.
 *
 * Filtered on the name alone, so resources tagged by an older parity (no project, no region) and
 * other environments of the same name come back too: `claim` decides whose each one is. The
 * tagging API answers from an index that can lag the services by a little, so kinds use it to
 * find their resources and still read the tags that decide a deletion from the service itself.
 */
export function environmentResources(
  ctx: AwsContext,
  env: EnvironmentInfo,
  region: string = ctx.region,
): Promise<TaggedResource[]> {
  return ctx.readOnce(`tagged:${region}:${env.environment}`, async () => {
    const found: TaggedResource[] = [];
    const pages = paginateGetResources(
      { client: ctx.tagging(region), pageSize: RESOURCES_PER_PAGE },
      {
        TagFilters: [{ Key: TAG_ENVIRONMENT, Values: [env.environment] }],
        ResourceTypeFilters: typesIn(ctx, region),
        TagsPerPage: TAGS_PER_PAGE,
      },
    );
    for await (const page of pages) {
      for (const mapping of page.ResourceTagMappingList ?? []) {
        if (mapping.ResourceARN) found.push({ arn: mapping.ResourceARN, tags: fromAwsTags(mapping.Tags) });
      }
    }
    return found;
  });
}

/** A listed resource of one kind: the part of its ARN that names it, the ARN, and its tags. */
export type TaggedId = { id: string; arn: string; tags: TagMap };

/** The resources of one service whose ARN matches `pattern`, named by its first group. */
export function resourcesOf(tagged: TaggedResource[], service: string, pattern: RegExp): TaggedId[] {
  const out: TaggedId[] = [];
  for (const { arn, tags } of tagged) {
    // arn:partition:service:region:account:resource; the resource may itself hold colons.
    if (arn.split(":")[2] !== service) continue;
    const id = pattern.exec(arn)?.[1];
    if (id) out.push({ id, arn, tags });
  }
  return out;
}
