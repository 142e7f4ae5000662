import type { SourceLocation } from "./diagnostics.js";
import type { Attrs, Value } from "./values.js";

/**
 * One unit the engine plans and applies. A config entry expands to one or more nodes:
 * `instances.web` with count 2 becomes `instances.web[0]` and `instances.web[1]`;
 * `loadBalancers.web` also yields `loadBalancers.web.listeners[443]`.
 */
export type DesiredNode = {
  address: string;
  /** The resource type that owns the node (a provider module's `type`). */
  type: string;
  /** The config address the node came from; references to it resolve to all nodes of the group. */
  group: string;
  spec: { [key: string]: Value };
  /** Config addresses (groups) this node needs to exist first. */
  dependsOn: string[];
  /**
   * Groups it refers to that are not creation dependencies (a rule naming a group): needed for it
   * to be complete, so `--target` brings them in, but created in any order (see `laterReferences`).
   */
  refersTo?: string[];
  protect: boolean;
  /**
   * `replaceUnmanaged: true` in the file: the resource this entry adopts may be replaced even
   * though parity did not create it. Without it, such a replacement is a plan error.
   */
  replaceUnmanaged?: boolean;
  /**
   * `ignoreChanges` in the file, as this node's attribute paths (`tags.owner`; `""` is the whole
   * node, `count` its group's size): another writer owns them, so they are never planned nor sent.
   */
  ignoreChanges?: string[];
  location?: SourceLocation;
  /** Where the node's spec sits in the file (`["loadBalancers", "web", "listeners", 1]`), for positions. */
  path?: (string | number)[];
};

/** What discovery found in the account, normalised by the owning type. */
export type ObservedNode = {
  type: string;
  /** Set when the resource carries our ownership tags, or was matched by name for adoption. */
  address?: string;
  id: string;
  /** Overrides the group derived from the address (`instances.web[1]` → `instances.web`). */
  group?: string;
  /** True when the resource carries this environment's ownership tags. */
  managed: boolean;
  /**
   * The file names this resource, but another parity environment owns it: the plan refuses it
   * (`what` belongs to `owner`) and apply never touches it.
   */
  foreign?: { what: string; owner: string };
  /** Ours, but tagged before projects and regions were recorded: the plan re-tags it. */
  legacy?: boolean;
  /** Recorded at creation (`parity:protect`), so a protected resource dropped from the file stays protected. */
  protect?: boolean;
  /**
   * The config addresses it depended on when parity last wrote it, as recorded on the resource:
   * deleting it from the file deletes it before them. Absent when nothing was recorded.
   */
  dependsOn?: string[];
  /**
   * The address its tags record, when a `moved` entry (engine/moves.ts) or a renamed entry of a
   * kind that follows renames puts it at another: apply re-tags it at `address`.
   */
  movedFrom?: string;
  /** Normalised attributes, comparable with the type's desired attributes. */
  attributes: Attrs;
  /** Values other resources may reference (`id`, `arn`, `dnsName`…). */
  outputs: { [key: string]: Value };
  /** Type-private facts apply needs (an ETag, a volume list); plain data. */
  details?: { [key: string]: Value };
};
