import type { Value } from "./values.js";

/** How a resource or attribute of B stands against A's. */
export const GAPS = ["missing-in-b", "only-in-b", "differs"] as const;
export type Gap = (typeof GAPS)[number];

/** One environment of a comparison: which file, and how far its live account is from that file. */
export type ComparedSide = {
  /** How the comparison names it: the environment, with its region or file when both share a name. */
  name: string;
  file: string;
  environment: string;
  region: string;
  /** Changes `parity plan FILE` shows for this side: 0 means the live account matches its file. */
  changes: number;
};

/**
 * One place where B's shape differs from A's. `path` is absent when the whole resource is missing
 * on one side. Values are shape only: references read as addresses, secrets as `(secret)`.
 */
export type ComparisonRow = {
  address: string;
  kind: string;
  group: string;
  path?: string;
  gap: Gap;
  a?: Value;
  b?: Value;
  /** Which file to change (or apply) to close the gap; for reading, never parsed. */
  fix: string;
  /** Set when an `expectedDifferences` entry covers the row: it is shown apart and not counted. */
  expected?: { reason: string; file: string; entry: string };
  /** Set when a side's `ignoreChanges` leaves it to another writer: shown apart, never compared. */
  ignored?: { file: string; entry: string };
};

export type Comparison = {
  formatVersion: 1;
  a: ComparedSide;
  b: ComparedSide;
  /** The gaps that count, grouped by kind (registry order), then by address and path. */
  rows: ComparisonRow[];
  /** Declared in `expectedDifferences`: intended, shown dimmed, never counted. */
  expected: ComparisonRow[];
  /** What an `ignoreChanges` of either file leaves to another writer; present when there is some. */
  ignored?: ComparisonRow[];
  summary: { differences: number; resources: number; expected: number; ignored?: number };
};
