import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { Contents } from "./copy.js";
import { formatBytes, formatCount } from "./units.js";

/** The largest object one CopyObject call can copy; bigger ones need a multipart copy. */
export const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;

/** Server-side copies in flight at once: enough to hide latency, few enough to avoid SlowDown. */
const COPY_CONCURRENCY = 16;

/** Counts a bucket's objects and bytes (for the plan note); one ListObjectsV2 per 1,000 objects. */
export async function summarise(s3: S3Client, bucket: string): Promise<Contents> {
  const total: Contents = { objects: 0, bytes: 0, tooLarge: 0 };
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) {
      total.objects += 1;
      total.bytes += object.Size ?? 0;
      if ((object.Size ?? 0) > SINGLE_COPY_LIMIT) total.tooLarge += 1;
    }
  }
  return total;
}

/** Whether the bucket holds at least one object: a single ListObjectsV2 with MaxKeys=1. */
export async function holdsObjects(s3: S3Client, bucket: string): Promise<boolean> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
}

/** CopySource is `bucket/key` with the key URL-encoded, each path segment on its own. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * Copies every object of `source` into `target` server-side (the bytes never pass through this
 * machine). Pages are copied one at a time with bounded concurrency, so memory stays flat for
 * any bucket size. CopyObject's default MetadataDirective COPY keeps Content-Type and metadata.
 */
export async function copyObjects(
  s3: S3Client,
  source: string,
  target: string,
  progress: (message: string) => void,
  expected?: { objects: number; bytes: number },
): Promise<{ objects: number; bytes: number }> {
  const limit = pLimit(COPY_CONCURRENCY);
  const done = { objects: 0, bytes: 0 };
  let lastReport = 0;
  const report = (force = false) => {
    if (!force && Date.now() - lastReport < 2000) return;
    lastReport = Date.now();
    const of = expected ? ` of ${formatCount(expected.objects)}` : "";
    const size = expected
      ? `${formatBytes(done.bytes)} of ${formatBytes(expected.bytes)}`
      : formatBytes(done.bytes);
    progress(`copied ${formatCount(done.objects)}${of} objects (${size}) from ${source}`);
  };
  const copyOne = async (key: string, size: number) => {
    try {
      await s3.send(new CopyObjectCommand({ Bucket: target, Key: key, CopySource: copySource(source, key) }));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw new Error(`copying ${source}/${key} failed: ${text}`);
    }
    done.objects += 1;
    done.bytes += size;
    report();
  };
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: source })) {
    const objects = (page.Contents ?? []).flatMap((o) =>
      o.Key !== undefined ? [{ key: o.Key, size: o.Size ?? 0 }] : [],
    );
    const large = objects.find((o) => o.size > SINGLE_COPY_LIMIT);
    if (large)
      throw new Error(`${source}/${large.key} is larger than 5 GiB, which one CopyObject cannot copy`);
    await Promise.all(objects.map((o) => limit(() => copyOne(o.key, o.size))));
  }
  report(true);
  return done;
}

/** Deletes every object (1,000 per DeleteObjects call), then every old version and delete marker. */
export async function emptyBucket(
  s3: S3Client,
  bucket: string,
  progress: (message: string) => void,
): Promise<number> {
  let deleted = 0;
  const remove = async (objects: { Key: string; VersionId?: string }[]) => {
    if (objects.length === 0) return;
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      throw new Error(
        `could not delete ${failed.length} objects of ${bucket}, e.g. ${failed[0]?.Key}: ${failed[0]?.Message}`,
      );
    }
    deleted += objects.length;
    progress(`deleted ${formatCount(deleted)} objects from ${bucket}`);
  };
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    await remove((page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : [])));
  }
  // A bucket that ever had versioning keeps old versions and delete markers, which ListObjectsV2
  // does not show and which still make DeleteBucket fail with BucketNotEmpty.
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
      v.Key && v.VersionId && v.VersionId !== "null" ? [{ Key: v.Key, VersionId: v.VersionId }] : [],
    );
    await remove(versions);
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  return deleted;
}
