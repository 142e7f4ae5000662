import type {
  Attrs,
  Change,
  DesiredNode,
  ObservedNode,
  PlannedEnvironment,
  Risk,
  Value,
} from "../model/index.js";
import type { TSchema } from "./schema.js";
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
