import { Protect, Tags, Type, directive, identity, replaces, specReader } from "../../../engine/schema.js";
import type { Static } from "../../../engine/schema.js";

export const TYPE = "buckets";

/** S3's rules for general purpose bucket names (without the rarely relevant IP-address rule). */
export const BUCKET_NAME = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";

const Website = Type.Object(
  {
    indexDocument: Type.String({
      pattern: "^[^/]+$",
      description: "a file name without slashes, like index.html",
    }),
    errorDocument: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
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
        description: "the name of a bucket to copy objects from, or a reference like buckets.assets",
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
