import { Protect, Tags, Type, directive, identity, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";

export const TYPE = "buckets";

/** S3's character and length rules for general purpose bucket names; `bucketNameProblem` has the rest. */
export const BUCKET_NAME = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";

/** Prefixes and suffixes S3 reserves for its own names (access point aliases, directory buckets…). */
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * The S3 naming rules a pattern cannot say clearly (the "General purpose bucket naming rules" of the
 * S3 user guide); CreateBucket would refuse these with InvalidBucketName half-way through an apply.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.includes("..")) return `"${name}" has two adjacent dots, which S3 does not allow in a bucket name`;
  if (/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(name))
    return `"${name}" is formatted as an IP address, which S3 does not allow as a bucket name`;
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `"${name}" starts with "${prefix}", which S3 reserves`;
  const suffix = RESERVED_SUFFIXES.find((p) => name.endsWith(p));
  if (suffix) return `"${name}" ends with "${suffix}", which S3 reserves`;
  return undefined;
}

const Website = Type.Object(
  {
    indexDocument: Type.String({
      pattern: "^[^/]+$",
      description: "a file name without slashes, like index.html",
    }),
    errorDocument: Type.Optional(Type.String({ minLength: 1, default: null })),
  },
  {
    additionalProperties: false,
    description: "the static website the bucket serves (none when left out)",
    default: null,
  },
);

export const BucketSchema = Type.Object(
  {
    // Bucket names are global and fixed: another name is another bucket.
    name: Type.String({
      pattern: BUCKET_NAME,
      description: "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens",
      ...identity,
      ...replaces,
    }),
    website: Type.Optional(Website),
    tags: Type.Optional(Tags),
    copyFrom: Type.Optional(
      Type.String({
        pattern: `${BUCKET_NAME}|^buckets\\.[A-Za-z0-9_-]+$`,
        description:
          "the name of a bucket to copy objects from, or a reference like buckets.assets. Every plan lists both buckets (one call per 1,000 objects each) and compares them object by object, as `aws s3 sync` does: an object is copied when the bucket lacks it or has it with another size or content (ETag; for multipart uploads, when the source is newer), skipped when the same. The plan shows the counts and bytes; apply lists both again and copies exactly what the plan showed, or, when either bucket changed since, copies nothing and says so (a saved plan is then stale). An interrupted copy is finished by the next apply, which copies only what is left",
        ...directive,
      }),
    ),
    sync: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "with copyFrom, true also deletes the objects the source does not have (`aws s3 sync --delete`): a data-loss change that apply makes only with --allow-destroy; false keeps them",
        ...directive,
      }),
    ),
    protect: Type.Optional(Protect),
  },
  { additionalProperties: false },
);

export type BucketSpec = Static<typeof BucketSchema>;
export type WebsiteSpec = Static<typeof Website>;

export const bucketSpec = specReader(BucketSchema);
