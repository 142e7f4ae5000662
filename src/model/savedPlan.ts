import type { PlannedEnvironment } from "./environment.js";
import type { Plan } from "./plan.js";
import type { Attrs, Value } from "./values.js";

export const SAVED_PLAN_KIND = "parity-plan";

/**
 * What `parity plan --out` writes: the plan, plus what it was made from, so `parity apply PLAN`
 * can prove nothing moved in between. It never holds a secret: sensitive attributes are masked
 * before anything is recorded or hashed, and secrets are read again from the environment at apply.
 */
export type SavedPlan = {
  /** 2: the plan carries its configuration, so it applies without the file. */
  formatVersion: 2;
  kind: typeof SAVED_PLAN_KIND;
  environment: string;
  region: string;
  /** The environment file, as given on the command line (relative to where plan ran). */
  file: string;
  /** Everything apply needs from the file: the resolved resources, tags, network and checks (no secret values). */
  configuration: PlannedEnvironment;
  createdAt: string;
  /** The --target/--exclude the plan was narrowed by, and --replace; apply re-plans the same to compare. */
  scope: { targets: string[]; excludes: string[]; replace?: string[] };
  /** sha256 of the merged document (after `extends`) and the region. */
  configDigest: string;
  /** sha256 of each observed resource the plan depends on; null: it did not exist. */
  fingerprints: { [address: string]: string | null };
  /** The normalised, masked attributes behind each fingerprint, to say what moved. */
  observedAttributes: { [address: string]: Attrs };
  observedOutputs: { [address: string]: { [key: string]: Value } };
  /** sha256 of each discovery lookup (the network, certificates) the plan was computed with. */
  facts: { [name: string]: string };
  plan: Plan;
};
