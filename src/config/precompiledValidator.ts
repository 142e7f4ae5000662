import type { ValidateFunction } from "ajv";

/** A validator compiled ahead of time (the CLI bundle's), with the digest of the schema it checks. */
export type Precompiled = { digest: string; validate: ValidateFunction };

/**
 * Nothing when run from source. The CLI bundle replaces this module with the validator ajv
 * compiled at build time (build/bundle.ts), so a run does not compile it again.
 */
export const precompiled: Precompiled | undefined = undefined;
