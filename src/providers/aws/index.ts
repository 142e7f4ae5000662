import type { Provider } from "../../engine/types.js";
import type { AwsContext } from "./context.js";
import { lookupNetwork } from "./network.js";
import { securityGroups } from "./securityGroups/index.js";

/**
 * The registry. Order matters: it is the order kinds are created in (and deleted in reverse),
 * so a kind comes after the kinds it can reference.
 */
export const awsProvider: Provider<AwsContext> = {
  // Registry order: securityGroups, instances, targetGroups, loadBalancers, buckets, distributions,
  // databases, appEnv, dns. Insert a new kind at its place in this order.
  kinds: [securityGroups],
  async lookup(ctx, env) {
    return { network: await lookupNetwork(ctx, env.network) };
  },
};

export { AwsContext } from "./context.js";
export type { AwsOptions } from "./context.js";
export { describeAwsFailure } from "./failures.js";
