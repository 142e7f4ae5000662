import type { ResourceType } from "../../../../engine/types.js";
import type { AwsContext } from "../../context.js";
import { RESTARTS, desiredDelivery } from "./desired.js";
import { observeDeliveries } from "./observe.js";
import { applyDelivery, forgetDelivery } from "./operations.js";
import { DELIVERY_TYPE, DeliveryNodeSchema } from "./schema.js";

/**
 * `appEnv.deliver`: the values written as a file on each instance of a group. Not a resource of
 * its own (nothing to own or protect), so it is not wrapped in `owned`: it is always observed,
 * and a plan shows it as an update exactly when some member lacks what the file holds now.
 */
export const deliveryType: ResourceType<AwsContext> = {
  type: DELIVERY_TYPE,
  schema: DeliveryNodeSchema,
  desired: desiredDelivery,
  observe: observeDeliveries,
  // The app restarts on each instance that receives the file: a moment without it there.
  risks: (change) => (change.notes.some((n) => n.includes(RESTARTS)) ? ["downtime"] : []),
  create: applyDelivery,
  update: applyDelivery,
  delete: forgetDelivery,
};
