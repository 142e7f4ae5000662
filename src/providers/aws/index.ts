import type { Provider } from "../../engine/types.js";
import type { AwsContext } from "./context.js";
import { appEnv } from "./appEnv/index.js";
import { buckets } from "./buckets/index.js";
import { caches } from "./caches/index.js";
import { certificates } from "./certificates/index.js";
import { databases } from "./databases/index.js";
import { distributions } from "./distributions/index.js";
import { dns } from "./dns/index.js";
import { instances } from "./instances/index.js";
import { checkSchema } from "../../checks/schema.js";
import { certificateNamesFromFacts } from "./common/certificates.js";
import { lookupNetwork } from "./network.js";
import { regionProblem } from "./regions.js";
import { securityGroups } from "./securityGroups/index.js";
import { targetGroups } from "./targetGroups/index.js";
import { loadBalancers } from "./loadBalancers/index.js";

/**
 * The registry. Order matters: it is the order kinds are created in (and deleted in reverse),
 * so a kind comes after the kinds it can reference.
 */
export const awsProvider: Provider<AwsContext> = {
  // Registry order: securityGroups, instances, certificates, targetGroups, loadBalancers, buckets,
  // distributions, databases, caches, appEnv, dns. Insert a new kind at its place in this order.
  kinds: [
    securityGroups,
    instances,
    certificates,
    targetGroups,
    loadBalancers,
    buckets,
    distributions,
    databases,
    caches,
    appEnv,
    dns,
  ],
  async lookup(ctx, env) {
    return { network: await lookupNetwork(ctx, env.network) };
  },
  certificateNames: certificateNamesFromFacts,
  checkRegion: regionProblem,
  checks: checkSchema(targetGroups.key),
};

export { AwsContext } from "./context.js";
export type { AwsOptions } from "./context.js";
export { describeAwsFailure, describeAwsFailureLine, isAwsCallFailure } from "./failures.js";
export { DEFAULT_TIMEOUTS } from "./calls.js";
export type { AwsTimeouts } from "./calls.js";
export { countHealthyTargets } from "./targetHealth.js";
export { zoneRecordsFor } from "./dnsLookup.js";
