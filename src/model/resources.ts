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
  protect: boolean;
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
  /** Recorded at creation (`parity:protect`), so a protected resource dropped from the file stays protected. */
  protect?: boolean;
  /**
   * The config addresses it depended on when parity last wrote it, as recorded on the resource:
   * deleting it from the file deletes it before them. Absent when nothing was recorded.
   */
  dependsOn?: string[];
  /** Normalised attributes, comparable with the type's desired attributes. */
  attributes: Attrs;
  /** Values other resources may reference (`id`, `arn`, `dnsName`…). */
  outputs: { [key: string]: Value };
  /** Type-private facts apply needs (an ETag, a volume list); plain data. */
  details?: { [key: string]: Value };
};
