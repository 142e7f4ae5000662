import type {
  Attrs,
  Change,
  DesiredNode,
  Move,
  ObservedNode,
  PlannedEnvironment,
  Risk,
  Value,
} from "../model/index.js";
import type { Role, TSchema } from "./schema.js";
import type { CertificateNames, WiringRule } from "./wiring.js";

/** Facts looked up during discovery (the default VPC, an ACM certificate), keyed by the type that needs them. */
export type Facts = { [key: string]: Value };

/** What a pure `desired` function may see: references resolve here, possibly to unknowns. */
export type Resolver = {
  /** The outputs of each node of a config address (one for most, `count` for instance groups). */
  group(address: string): { [key: string]: Value }[];
  /** One output of a referenced resource, or an Unknown when it will only exist after apply. */
  output(address: string, name: string): Value;
  /** Replaces every `${kind.name.attribute}` in a string; the result is Unknown if any part is. */
  interpolate(text: string): Value;
  facts: Facts;
  env: EnvironmentInfo;
};

export type EnvironmentInfo = {
  environment: string;
  /** The file's `project`: with the environment and region, what makes the environment unique in an account. */
  project?: string;
  region: string;
  tags: { [key: string]: string };
  /** Secret values read from the process environment at the edge; never rendered. */
  secrets: { [name: string]: string | undefined };
  /**
   * The configuration's digest (engine/digest.ts), the same for every run of one file: what names
   * the work a plan leaves behind (a snapshot before a change), so a re-run finds it again.
   */
  planDigest?: string;
  /** The file's `moved` entries: claims read a resource's recorded address through them. */
  moves?: Move[];
};

export type DesiredState = {
  attributes: Attrs;
  /** Lines shown under the change and carried out with it ("copy 1,240 objects"). */
  notes?: string[];
  /** Attribute paths whose values are masked. */
  sensitive?: string[];
  /** Attribute paths whose change AWS applies only in the maintenance window. */
  deferred?: string[];
  /**
   * Attribute paths parity writes for its own records (a marker tag): carried to apply with the
   * rest, never shown or counted as a difference.
   */
  bookkeeping?: string[];
  /** Problems that make this resource impossible to plan ("no ISSUED certificate for … in us-west-1"). */
  errors?: { message: string; hint?: string }[];
};

export type Operation = {
  change: Change;
  node?: DesiredNode;
  /** Desired attributes resolved against live outputs: no Unknowns left. */
  desired?: Attrs;
  observed?: ObservedNode;
  env: EnvironmentInfo;
  facts: Facts;
  resolver: Resolver;
  /** Reports progress on long work; the renderer adds elapsed time. */
  progress(message: string): void;
  /** Aborted on a second Ctrl-C: stop waiting, never abandon an in-flight call. */
  signal: AbortSignal;
  /** --allow-destroy was given: data-holding resources may be emptied and destroyed. */
  allowDestroy?: boolean;
  /** --no-wait: return once AWS accepted the change instead of waiting for it to settle. */
  noWait?: boolean;
};

export type Outputs = { [key: string]: Value };

/** Everything one resource type knows: discovery, normalisation, replacement rules, and CRUD. */
export type ResourceType<Ctx> = {
  type: string;
  /**
   * The annotated schema of one node's spec. Its annotations (engine/schema.ts) say which attributes
   * force replacement, which are identity, and their defaults; a desired attribute uses its spec path.
   */
  schema: TSchema;
  /** Attributes not in the spec (computed from it or from lookups) whose change forces replacement. */
  replaceOn?: string[];
  /** Roles (engine/schema.ts) of attributes not in the spec, for `compare`; unnamed ones are shape. */
  attributeRoles?: { [path: string]: Role };
  /** Outputs known from the file alone (a bucket's name), before the resource exists. */
  plannedOutputs?(node: DesiredNode, env: EnvironmentInfo): Outputs;
  /**
   * The live outputs a change leaves in place, as far as the plan can tell (a parameter's version
   * does not survive a new value): those left out read as unknown until apply returns them.
   */
  outputsAfter?(change: Change, live: Outputs): Outputs;
  /** Pure: the normalised attributes the file asks for, comparable with observed ones. */
  desired(node: DesiredNode, resolver: Resolver, observed: ObservedNode | undefined): DesiredState;
  /** Batched discovery: everything owned by this environment, plus named resources to adopt. */
  observe(ctx: Ctx, nodes: DesiredNode[], env: EnvironmentInfo): Promise<ObservedNode[]>;
  /** Lookups the pure diff needs (certificates by domain, AMIs by name). */
  lookup?(ctx: Ctx, nodes: DesiredNode[], env: EnvironmentInfo): Promise<Facts>;
  risks?(change: Change): Risk[];
  expectedSeconds?: Partial<Record<"create" | "update" | "replace" | "delete", number>>;
  /** Lines describing extra work a change implies, shown in the plan. */
  notes?(change: Change, observed: ObservedNode | undefined): string[];
  create(ctx: Ctx, op: Operation): Promise<Outputs>;
  update(ctx: Ctx, op: Operation): Promise<Outputs>;
  delete(ctx: Ctx, op: Operation): Promise<void>;
  /** Tag an existing resource as ours, then converge it; absent for types that are never adopted. */
  adopt?(ctx: Ctx, op: Operation): Promise<Outputs>;
  /** Defaults to delete then create. */
  replace?(ctx: Ctx, op: Operation): Promise<Outputs>;
  /**
   * Spec paths (`ingress[].source`) whose references are not creation dependencies: a rule naming
   * another group needs that group to exist before the rule, not before this group. They make no
   * graph edge (so groups may name themselves or each other); apply runs the resource's change
   * without what is still unknown (`withoutUnknown`), then `completeLater` once those exist.
   */
  laterReferences?: string[];
  /** The first step's attributes: `attrs` without the parts that still hold an Unknown. */
  withoutUnknown?(attrs: Attrs): Attrs;
  /** The second step, with every reference resolved and the first step's outputs. */
  completeLater?(ctx: Ctx, op: Operation, outputs: Outputs): Promise<void>;
  /** How `parity export` lists this type and writes it back as an entry (see `Exporter`). */
  exporter?: Exporter<Ctx>;
};

/** A top-level key of the environment file and how it becomes nodes. */
export type Kind<Ctx> = {
  key: string;
  /** `map`: named entries (`securityGroups.web`); `single`: one block (`appEnv`, `dns`). */
  shape: "map" | "single";
  /** Schema of one entry (or of the block, for `single`), annotated (engine/schema.ts). */
  schema: TSchema;
  /** Attribute names `${kind.name.attribute}` may interpolate. */
  outputs: string[];
  expand(
    address: string,
    spec: { [key: string]: Value },
    env: EnvironmentInfo,
  ): (Omit<DesiredNode, "dependsOn" | "protect" | "location" | "path"> & {
    dependsOn?: string[];
    /** Where the node's spec sits inside the entry (`["listeners", 1]`); the entry itself when absent. */
    path?: (string | number)[];
  })[];
  types: ResourceType<Ctx>[];
  /** Checks the schema cannot express (a secret's variable is set, listener ports are unique). */
  check?(address: string, spec: { [key: string]: Value }, env: EnvironmentInfo): KindProblem[];
  /** The kind's wiring rules (DESIGN.md "Wiring checks"), over the environment's resolved nodes. */
  wiring?: WiringRule[];
};

/** A problem in one entry, at a path relative to the entry. */
export type KindProblem = { path: (string | number)[]; message: string; hint?: string };

export type Provider<Ctx> = {
  kinds: Kind<Ctx>[];
  /** The schema of one entry of `checks:`, whose references name this provider's kinds. */
  checks: TSchema;
  /** Environment-wide facts (the VPC and subnets) every type may use. */
  lookup(ctx: Ctx, env: PlannedEnvironment): Promise<Facts>;
  /** The names each certificate the plan looked up is valid for, for wiring rules. */
  certificateNames?(facts: Facts): CertificateNames;
  /** Refuses a region name the provider does not know, before any call is made to it. */
  checkRegion?(region: string): { message: string; hint?: string } | undefined;
};

export type ApplyEvent =
  | { type: "start"; address: string; action: string }
  | { type: "progress"; address: string; message: string; elapsedMs?: number }
  | { type: "done"; address: string; action: string; elapsedMs: number }
  | { type: "failed"; address: string; action: string; error: string; elapsedMs: number }
  | { type: "skipped"; address: string; action: string; because: string };

export type EventSink = (event: ApplyEvent) => void;

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
