import type { SourceLocation } from "./diagnostics.js";
import type { DesiredNode } from "./resources.js";
import type { Value } from "./values.js";

export type NetworkSpec = { vpc: string; subnets: string | string[] };

/** A `moved` entry: the live resource recorded at `from` is the file's `to`, re-tagged rather than replaced. */
export type Move = { from: string; to: string; location?: SourceLocation };

export type Check = { name: string; spec: { [key: string]: Value }; location?: SourceLocation };

/**
 * What the engine plans and applies from: the resolved environment, without the text it came from.
 * Plain data, so a saved plan carries it and applies without the file.
 */
export type PlannedEnvironment = {
  /** The environment file, as given on the command line. */
  file: string;
  environment: string;
  /** The file's `project`, when it names one. */
  project?: string;
  region: string;
  tags: { [key: string]: string };
  network: NetworkSpec;
  nodes: DesiredNode[];
  checks: Check[];
  /** The file's `moved` entries, checked against each other and the file. */
  moves?: Move[];
};

/** A loaded environment file: the planned environment, plus its text for digests, wiring and messages. */
export type Environment = PlannedEnvironment & {
  /** The merged document (after `extends`), for digests and wiring checks. */
  document: { [key: string]: Value };
  /** Where each dotted path of the merged document came from. */
  locations: Map<string, SourceLocation>;
};
