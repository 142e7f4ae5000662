import type { Precompiled } from "./compiledValidator.js";

/**
 * Nothing when run from source. The CLI bundle replaces this module with the validator ajv
 * compiled at build time (build/bundle.ts), so a run does not compile it again.
 */
export const precompiled: Precompiled | undefined = undefined;
