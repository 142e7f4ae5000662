import type { DesiredState, Facts, Resolver } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { awsErrorName, isAwsError } from "../errors.js";
import type { BucketSpec } from "./observe.js";
import { COPYING_TAG, readTags } from "./observe.js";
import { holdsObjects, summarise } from "./objects.js";
import type { Contents } from "./objects.js";
import { describeObjects } from "./units.js";

/** Facts key: what lookup() found in each copy source, by source bucket name. */
export const COPY_SOURCES = "bucketCopySources";

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
  return isPlainObject(found) ? (found as unknown as SourceFacts) : undefined;
}

export function copyExpectation(facts: Facts, source: string): Contents | undefined {
  const found = sourceFacts(facts, source);
  return found && "objects" in found ? found : undefined;
}

/** `copyFrom` names a bucket, or refers to another entry (`buckets.assets`) whose name it takes. */
function resolveSource(copyFrom: string, nameOf: (address: string) => Value): Value {
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
export async function lookupCopySources(
  ctx: AwsContext,
  specs: { address: string; spec: BucketSpec }[],
): Promise<Facts> {
  const names = new Map(specs.map((s) => [s.address, s.spec.name]));
  const sources: { [name: string]: Value } = {};
  await Promise.all(
    specs.map(async ({ spec }) => {
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
