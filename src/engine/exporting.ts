import type { Attrs, Value } from "../model/index.js";
import type { EnvironmentInfo, Facts } from "./types.js";

/**
 * One live resource `parity export` may write. Types list them on export's own path (`list`),
 * never through the plan's `observe`: the plan looks only for what a file names or owns, export
 * looks at everything in the region.
 */
export type ExportItem = {
  /** AWS's name for it: what `--select kind:PATTERN` matches, and what its key is made from. */
  name: string;
  /** Its id (or ARN): what other resources' attributes name it by. */
  id: string;
  /** Live tags, ownership tags included: `--tag` and a managed environment's selection read them. */
  tags: { [key: string]: string };
  /** Values other entries may name it by: ids and ARNs become `kind.key`, the rest `${kind.key.output}`. */
  outputs: { [key: string]: Value };
  /** Normalised live attributes, in the type's observed shape. */
  attributes: Attrs;
  /** Type-private facts its `entry` needs (a parameter's type, an instance's AMI source). */
  details?: { [key: string]: Value };
  /** This environment's, at this address (`parity:address`): the key is kept. */
  address?: string;
  /** Items sharing it make one entry (an instance group's members); default: `name`. */
  entry?: string;
  /** What the entry's key is made from, when not its `entry` (which may hold more, to keep entries apart). */
  key?: string;
  /** A part of another item's entry (a listener of its load balancer): that item's id, and the list it goes in. */
  parent?: { id: string; path: string };
  /** The type whose exporter writes it, when one listing serves two types (a load balancer's listeners). */
  type?: string;
};

/** How an entry names the other resources it refers to. */
export type ExportRefs = {
  /** `kind.key` of the exported resource with this id or ARN, or undefined when it is not exported. */
  to(id: string): string | undefined;
  /** The text, with every exported resource's name or DNS name in it written as `${kind.key.output}`. */
  interpolate(text: string): string;
};

export type ExportOptions = {
  /** Write an instance's AMI as `{ fromInstance: i-… }` (an AMI made of it), not its `ami-…` id. */
  imageFromInstance?: boolean;
};

export type ExportContext = {
  refs: ExportRefs;
  facts: Facts;
  env: EnvironmentInfo;
  options: ExportOptions;
};

/** One entry of the written file (or, for a single kind, the part of its block one item makes). */
export type ExportedEntry = {
  spec: { [key: string]: Value };
  /** What parity cannot express, one phrase each: written as a comment and listed on stderr. */
  omitted?: string[];
  /** Environment variables the file reads secrets from (`fromEnv`): the user must set them. */
  secrets?: string[];
  /** Nothing of it can be written (a listener whose action parity cannot express): only the comment. */
  drop?: boolean;
};

/** A type's part of `parity export` (optional: a type without it is never exported). */
export type Exporter<Ctx> = {
  list(ctx: Ctx, env: EnvironmentInfo): Promise<ExportItem[]>;
  /** The entry for items sharing one `entry` (one item for most types). */
  entry(items: ExportItem[], context: ExportContext): ExportedEntry;
  /** Words of names that only say what kind of thing it is (`sg`, `alb`): left out of keys. */
  keyNoise?: string[];
};
