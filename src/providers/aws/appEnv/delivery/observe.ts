import { groupOf } from "../../../../engine/graph.js";
import type { EnvironmentInfo } from "../../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../../model/index.js";
import { TAG_ENVIRONMENT, fromAwsTags, ownershipOf } from "../../common/ownership.js";
import type { AwsContext } from "../../context.js";
import { describeInstances } from "../../instances/lifecycle.js";
import { LIVE_STATES } from "../../instances/observe.js";
import { DELIVERY_TYPE, TAG_DELIVERED, deliverySpec } from "./schema.js";

/**
 * What each instance of this environment last received, from the digest tag delivery leaves on
 * it: one filtered DescribeInstances. A delivery is not a resource, so it is always "there"
 * (managed, never created or destroyed): the plan shows it as an update when a member lacks the
 * current digest.
 */
export async function observeDeliveries(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  if (nodes.length === 0) return [];
  const instances = await describeInstances(ctx, [
    { Name: `tag:${TAG_ENVIRONMENT}`, Values: [env.environment] },
    { Name: "tag-key", Values: [TAG_DELIVERED] },
    { Name: "instance-state-name", Values: LIVE_STATES },
  ]);
  return nodes.map((node) => {
    const { to } = deliverySpec(node);
    const delivered: { [id: string]: string } = {};
    for (const instance of instances) {
      const tags = fromAwsTags(instance.Tags);
      const owner = ownershipOf(tags, env);
      if (owner.status !== "ours" || groupOf(owner.address) !== to || !instance.InstanceId) continue;
      delivered[instance.InstanceId] = tags[TAG_DELIVERED] ?? "";
    }
    return {
      type: DELIVERY_TYPE,
      address: node.address,
      group: node.group,
      id: node.address,
      managed: true,
      attributes: { delivered },
      outputs: {},
    };
  });
}
