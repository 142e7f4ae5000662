import { listenerExporter } from "./export.js";
import type { ResourceType } from "../../../../engine/types.js";
import type { AwsContext } from "../../context.js";
import { desiredListener } from "./desired.js";
import { lookupCertificates } from "./observe.js";
import { createListener, deleteListener, updateListener } from "./operations.js";
import { LISTENER_TYPE, ListenerNodeSchema } from "./schema.js";

/** Listeners are never tagged: they belong to the load balancer, whose tags decide ownership. */
export const listenerType: ResourceType<AwsContext> = {
  type: LISTENER_TYPE,
  schema: ListenerNodeSchema,
  risks: (change) => (change.action === "delete" || change.action === "replace" ? ["downtime"] : []),
  lookup: lookupCertificates,
  desired: desiredListener,
  // Listeners are observed with their load balancers (one DescribeListeners per load balancer).
  observe: async () => [],
  create: createListener,
  update: updateListener,
  // A listener of a load balancer being adopted has no tags of its own to write: converging it is adopting it.
  adopt: updateListener,
  delete: deleteListener,
  exporter: listenerExporter,
};
