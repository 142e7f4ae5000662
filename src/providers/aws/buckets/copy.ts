import type { DesiredState, Facts, Resolver } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { BucketSpec } from "./schema.js";
import type { Tally } from "./sync.js";
import { describeObjects, formatBytes, formatCount } from "./units.js";

/**
 * Set on a bucket by earlier versions while they copied into it. Copies are planned object by
 * object now, so an interrupted one needs no marker; observe still reads it on old buckets.
 */
export const COPYING_TAG = "parity:copying";

/**
 * What the plan found it takes to bring one bucket in line with its `copyFrom`, as a lookup fact:
 * one fact per target bucket, so a saved plan that went stale names the bucket whose copy changed.
 */
export type CopyFacts = {
  source: string;
  sync: boolean;
  copy: Tally;
  skip: Tally;
  remove: Tally;
  /** Objects only in the target that a copy without `sync` leaves alone. */
  kept: Tally;
  /** Objects to copy that are larger than one CopyObject can handle. */
  tooLarge: number;
  /** `actionsDigest` of the planned actions: apply does these or nothing. */
  digest: string;
};

export type CopyLookup = CopyFacts | { unreadable: string; bucket: string };

const REFERENCE = /^buckets\.[A-Za-z0-9_-]+$/;

/** The facts key of the copy into `target`. */
export function copyFactsKey(target: string): string {
  return `bucket copy into ${target}`;
}

/** The desired `contents` value that makes apply copy; also what the plan shows. */
export function copyMarker(source: string): string {
  return `copy of ${source}`;
}

function tallyOf(value: Value | undefined): Tally {
  return isPlainObject(value)
    ? { objects: Number(value.objects), bytes: Number(value.bytes) }
    : { objects: 0, bytes: 0 };
}

/** The copy the plan found for `target`, read back from the facts (at plan and at apply time). */
export function copyLookup(facts: Facts, target: string): CopyLookup | undefined {
  const found = facts[copyFactsKey(target)];
  if (!isPlainObject(found)) return undefined;
  if (typeof found.unreadable === "string")
    return { unreadable: found.unreadable, bucket: String(found.bucket) };
  return {
    source: String(found.source),
    sync: found.sync === true,
    copy: tallyOf(found.copy),
    skip: tallyOf(found.skip),
    remove: tallyOf(found.remove),
    kept: tallyOf(found.kept),
    tooLarge: Number(found.tooLarge),
    digest: String(found.digest),
  };
}

/** `copyFrom` names a bucket, or refers to another entry (`buckets.assets`) whose name it takes. */
export function resolveSource(copyFrom: string, nameOf: (address: string) => Value): Value {
  return REFERENCE.test(copyFrom) ? nameOf(copyFrom) : copyFrom;
}

/** Whether the planned copy deletes objects: the change then carries the data-loss risk. */
export function deletesObjects(facts: CopyFacts): boolean {
  return facts.remove.objects > 0;
}

/** How a note about deleting objects ends; risks() reads it (a change carries notes, not facts). */
export const DELETION_NEEDS = "needs --allow-destroy";

function countOf(t: Tally): string {
  return `${formatCount(t.objects)} ${t.objects === 1 ? "object" : "objects"}`;
}

/** "copy 1,240 objects (38.2 MiB), skip 12, delete 3 (1.1 MiB)": what the copy does, in one line. */
export function copySummary(facts: CopyFacts): string {
  const parts = [
    `copy ${countOf(facts.copy)} (${formatBytes(facts.copy.bytes)})`,
    `skip ${formatCount(facts.skip.objects)}`,
  ];
  if (facts.sync)
    parts.push(`delete ${formatCount(facts.remove.objects)} (${formatBytes(facts.remove.bytes)})`);
  return parts.join(", ");
}

/** The plan's notes for a copy: the summary, what deleting loses, what a copy without sync keeps. */
export function copyNotes(facts: CopyFacts): string[] {
  const notes = [`from ${facts.source}: ${copySummary(facts)}`];
  if (deletesObjects(facts)) {
    notes.push(
      `deleting ${describeObjects(facts.remove.objects, facts.remove.bytes)} that ${facts.source} does not have loses them: ${DELETION_NEEDS}`,
    );
  }
  if (facts.kept.objects > 0) {
    notes.push(
      `keeps ${countOf(facts.kept)} that ${facts.source} does not have (sync: true would delete them)`,
    );
  }
  return notes;
}

/**
 * Whether this plan copies objects into the bucket, and what: the lookup compared the source with
 * the bucket object by object, new or not, empty or not. Nothing to copy or delete is no change,
 * so once the copy is done `copyFrom` never causes a perpetual diff.
 */
export function planCopy(
  spec: BucketSpec,
  resolver: Resolver,
): Pick<DesiredState, "notes" | "errors"> & { contents?: string } {
  if (!spec.copyFrom) return {};
  const found = copyLookup(resolver.facts, spec.name);
  if (!found) return {};
  if ("unreadable" in found) {
    return {
      errors: [
        {
          message: `copyFrom: cannot read bucket ${found.bucket}: ${found.unreadable}`,
          hint: "check the bucket name and that these credentials may list it",
        },
      ],
    };
  }
  if (found.tooLarge > 0) {
    return {
      errors: [
        {
          message: `copyFrom: ${found.tooLarge} objects in ${found.source} are larger than 5 GiB, which a single server-side copy cannot handle`,
          hint: "copy those objects separately (aws s3 cp uses multipart copies), then re-plan",
        },
      ],
    };
  }
  if (found.copy.objects === 0 && found.remove.objects === 0) return {};
  return { contents: copyMarker(found.source), notes: copyNotes(found) };
}
