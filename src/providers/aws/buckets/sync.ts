import { canonicalJson, sha256 } from "../../../engine/digest.js";

/** One object as ListObjectsV2 lists it: all a copy decision needs. */
export type ListedObject = { key: string; size: number; etag: string; lastModified: number };

/** What bringing a bucket in line with its source takes, object by object. */
export type SyncActions = {
  copy: ListedObject[];
  skip: ListedObject[];
  remove: ListedObject[];
  kept: ListedObject[];
};

/** An ETag that is the MD5 of the bytes (a single-part upload or a copy): comparable across buckets. */
const CONTENT_ETAG = /^"?[0-9a-f]{32}"?$/;

/**
 * Whether the destination's object differs from the source's. Size first; then the ETag where both
 * are content hashes; a multipart ETag depends on the part size, not only the bytes, so there the
 * rule of `aws s3 sync` decides: the source is newer than the destination.
 */
function differs(source: ListedObject, target: ListedObject): boolean {
  if (source.size !== target.size) return true;
  if (CONTENT_ETAG.test(source.etag) && CONTENT_ETAG.test(target.etag)) return source.etag !== target.etag;
  return source.lastModified > target.lastModified;
}

/**
 * What `aws s3 sync SOURCE TARGET [--delete]` does: copy what is missing or different, skip what is
 * the same, and (with `sync`) delete what the source does not have; otherwise those are kept.
 */
export function syncActions(source: ListedObject[], target: ListedObject[], sync: boolean): SyncActions {
  const inTarget = new Map(target.map((o) => [o.key, o]));
  const inSource = new Set(source.map((o) => o.key));
  const actions: SyncActions = { copy: [], skip: [], remove: [], kept: [] };
  for (const object of source) {
    const there = inTarget.get(object.key);
    (there && !differs(object, there) ? actions.skip : actions.copy).push(object);
  }
  for (const object of target) {
    if (!inSource.has(object.key)) (sync ? actions.remove : actions.kept).push(object);
  }
  return actions;
}

export type Tally = { objects: number; bytes: number };

export function tally(objects: ListedObject[]): Tally {
  return { objects: objects.length, bytes: objects.reduce((sum, o) => sum + o.size, 0) };
}

/**
 * A fingerprint of exactly what apply will do: each object to copy (with the size and ETag it had)
 * and each key to delete. Apply lists both buckets again and goes ahead only when it gets the same.
 */
export function actionsDigest(actions: SyncActions): string {
  return sha256(
    canonicalJson({
      copy: actions.copy.map((o) => [o.key, o.size, o.etag]),
      remove: actions.remove.map((o) => o.key),
    }),
  );
}
