import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";

export const TYPE = "databases";
/** Facts key: source identifiers of `restoreFrom` that exist in the region. */
export const SOURCES = "databaseSources";
export const REFERENCE = /^databases\.[A-Za-z0-9_-]+$/;

/** One `databases:` entry as the schema admits it. */
export type Spec = {
  identifier: string;
  engine: string;
  engineVersion?: string;
  class: string;
  allocatedStorageGb?: number;
  securityGroups?: string[];
  subnetGroup?: string;
  multiAz?: boolean;
  publiclyAccessible?: boolean;
  backupRetentionDays?: number;
  deletionProtection?: boolean;
  applyImmediately?: boolean;
  masterUsername?: string;
  masterPassword?: { fromEnv: string };
  restoreFrom?: { snapshotOf: string };
  tags?: Record<string, string>;
};

export function spec(value: { [key: string]: Value }): Spec {
  return value as unknown as Spec;
}

/** The master password, read from the process environment only when a call needs it. */
export function passwordOf(s: Spec, env: EnvironmentInfo): string | undefined {
  return s.masterPassword ? env.secrets[s.masterPassword.fromEnv] : undefined;
}
