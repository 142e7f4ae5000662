import type { SourceLocation } from "./diagnostics.js";
import type { DesiredNode } from "./resources.js";
import type { Value } from "./values.js";

export type NetworkSpec = { vpc: string; subnets: string | string[] };

/** The validated, resolved environment file: what the engine plans from. */
export type Environment = {
  file: string;
  environment: string;
  region: string;
  tags: { [key: string]: string };
  network: NetworkSpec;
  nodes: DesiredNode[];
  checks: { name: string; spec: { [key: string]: Value }; location?: SourceLocation }[];
  /** The merged document (after `extends`), for digests and wiring checks. */
  document: { [key: string]: Value };
  /** Where each dotted path of the merged document came from. */
  locations: Map<string, SourceLocation>;
};
