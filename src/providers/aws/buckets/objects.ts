import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { tally } from "./sync.js";
import type { ListedObject, Tally } from "./sync.js";
import { formatBytes, formatCount } from "./units.js";

/** The largest object one CopyObject call can copy; bigger ones need a multipart copy. */
export const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;

/** Server-side copies in flight at once: enough to hide latency, few enough to avoid SlowDown. */
const COPY_CONCURRENCY = 16;

/** The most keys one DeleteObjects call takes. */
const DELETE_BATCH = 1000;

/** Every object of a bucket, in S3's key order: one ListObjectsV2 per 1,000 objects. */
export async function listObjects(s3: S3Client, bucket: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, MaxKeys: 1000 })) {
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      objects.push({
        key: o.Key,
        size: o.Size ?? 0,
        etag: o.ETag ?? "",
        lastModified: o.LastModified?.getTime() ?? 0,
      });
    }
  }
  return objects;
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
 * Copies the given objects of `source` into `target` server-side (the bytes never pass through
 * this machine), with bounded concurrency. CopyObject's default MetadataDirective COPY keeps
 * Content-Type and metadata.
 */
export async function copyObjects(
  s3: S3Client,
  source: string,
  target: string,
  objects: ListedObject[],
  progress: (message: string) => void,
): Promise<Tally> {
  const limit = pLimit(COPY_CONCURRENCY);
  const expected = tally(objects);
  const done: Tally = { objects: 0, bytes: 0 };
  let lastReport = 0;
  const report = (force = false) => {
    if (!force && Date.now() - lastReport < 2000) return;
    lastReport = Date.now();
    progress(
      `copied ${formatCount(done.objects)} of ${formatCount(expected.objects)} objects (${formatBytes(done.bytes)} of ${formatBytes(expected.bytes)}) from ${source}`,
    );
  };
  const copyOne = async (object: ListedObject) => {
    try {
      await s3.send(
        new CopyObjectCommand({
          Bucket: target,
          Key: object.key,
          CopySource: copySource(source, object.key),
        }),
      );
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw new Error(`copying ${source}/${object.key} failed: ${text}`);
    }
    done.objects += 1;
    done.bytes += object.size;
    report();
  };
  await Promise.all(objects.map((o) => limit(() => copyOne(o))));
  report(true);
  return done;
}

/** Deletes the given keys, 1,000 per DeleteObjects call (its limit). */
export async function deleteObjects(
  s3: S3Client,
  bucket: string,
  keys: string[],
  progress: (message: string) => void,
): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    await removeBatch(
      s3,
      bucket,
      keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key })),
    );
    progress(
      `deleted ${formatCount(Math.min(i + DELETE_BATCH, keys.length))} of ${formatCount(keys.length)} objects from ${bucket}`,
    );
  }
}

/** One DeleteObjects call; any object it could not delete fails the whole operation. */
async function removeBatch(
  s3: S3Client,
  bucket: string,
  objects: { Key: string; VersionId?: string }[],
): Promise<void> {
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
    await removeBatch(s3, bucket, objects);
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
