import type { DesiredState, Facts, Resolver } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { BucketSpec } from "./schema.js";
import { describeObjects } from "./units.js";

/** Facts key: what lookup() found in each copy source, by source bucket name. */
export const COPY_SOURCES = "bucketCopySources";

/**
 * Set on a bucket while apply copies objects into it, removed when the copy is complete. A copy
 * that was interrupted leaves the bucket non-empty; this tag is how the next plan knows to finish it.
 */
export const COPYING_TAG = "parity:copying";

/** What a copy source holds, as the plan note and the progress lines count it. */
export type Contents = { objects: number; bytes: number; tooLarge: number };

type SourceFacts = Contents | { unreadable: string };

const REFERENCE = /^buckets\.[A-Za-z0-9_-]+$/;

/** The desired `contents` value that makes apply copy; also what the plan shows. */
export function copyMarker(source: string): string {
  return `copy of ${source}`;
}

/** The source bucket of a planned copy, read back from the desired attributes at apply time. */
export function plannedCopySource(attributes: { [key: string]: Value } | undefined): string | undefined {
  const contents = attributes?.contents;
  return typeof contents === "string" && contents.startsWith("copy of ")
    ? contents.slice("copy of ".length)
    : undefined;
}

function sourceFacts(facts: Facts, source: string): SourceFacts | undefined {
  const all = facts[COPY_SOURCES];
  const found = isPlainObject(all) ? all[source] : undefined;
  if (!isPlainObject(found)) return undefined;
  if (typeof found.unreadable === "string") return { unreadable: found.unreadable };
  return { objects: Number(found.objects), bytes: Number(found.bytes), tooLarge: Number(found.tooLarge) };
}

export function copyExpectation(facts: Facts, source: string): Contents | undefined {
  const found = sourceFacts(facts, source);
  return found && "objects" in found ? found : undefined;
}

/** `copyFrom` names a bucket, or refers to another entry (`buckets.assets`) whose name it takes. */
export function resolveSource(copyFrom: string, nameOf: (address: string) => Value): Value {
  return REFERENCE.test(copyFrom) ? nameOf(copyFrom) : copyFrom;
}

/**
 * Whether this plan copies objects into the bucket: only when the bucket is new or empty (or a
 * previous copy was interrupted), and the source has something to copy. Once copied, the target
 * holds objects and no copy is planned again, so `copyFrom` never causes a perpetual diff.
 */
export function planCopy(
  spec: BucketSpec,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): Pick<DesiredState, "notes" | "errors"> & { contents?: string } {
  if (!spec.copyFrom) return {};
  const source = resolveSource(spec.copyFrom, (address) => resolver.output(address, "name"));
  if (typeof source !== "string") return {};
  const empty = !observed || observed.details?.objectCount === 0;
  if (!empty && observed?.details?.copying !== source) return {};
  const found = sourceFacts(resolver.facts, source);
  if (!found) return {};
  if ("unreadable" in found) {
    return {
      errors: [
        {
          message: `copyFrom: cannot read bucket ${source}: ${found.unreadable}`,
          hint: "check the bucket name and that these credentials may list it",
        },
      ],
    };
  }
  if (found.tooLarge > 0) {
    return {
      errors: [
        {
          message: `copyFrom: ${found.tooLarge} objects in ${source} are larger than 5 GiB, which a single server-side copy cannot handle`,
          hint: "copy those objects separately (aws s3 cp uses multipart copies), then re-plan",
        },
      ],
    };
  }
  if (found.objects === 0) return {};
  return {
    contents: copyMarker(source),
    notes: [`copy ${describeObjects(found.objects, found.bytes)} from ${source}`],
  };
}
