import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeTargetGroups,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { describeTags, perResource } from "../common/elbv2.js";
import { sortIds } from "../common/lists.js";
import { tolerate } from "../errors.js";
import { ownedElsewhere, ownership } from "../tags.js";
import { observedAttributes, registeredTargets } from "./attributes.js";

export const TYPE = "targetGroups";

type Candidate = {
  group: TargetGroup;
  tags: Record<string, string>;
  address: string;
  managed: boolean;
  protect: boolean;
};

/**
 * One paginated DescribeTargetGroups for the whole region, then DescribeTags in batches of 20.
 * Attributes and target health exist only per target group (no batch API), so those two reads
 * run for the groups this environment owns or may adopt, a few at a time.
 */
export async function observeTargetGroups(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const byName = new Map(nodes.map((n) => [String(n.spec.name), n.address]));
  // Target health is read only where the file manages targets; elsewhere it is never compared.
  const wantsTargets = new Set(nodes.filter((n) => n.spec.targets !== undefined).map((n) => n.address));

  const groups: TargetGroup[] = [];
  for await (const page of paginateDescribeTargetGroups({ client: ctx.elbv2 }, {}))
    groups.push(...(page.TargetGroups ?? []));
  const tagsByArn = await describeTags(ctx, groups.map((g) => g.TargetGroupArn ?? "").filter(Boolean));

  const candidates: Candidate[] = [];
  for (const group of groups) {
    const tags = tagsByArn.get(group.TargetGroupArn ?? "") ?? {};
    const owner = ownership(tags, env);
    if (owner.managed && owner.address) {
      candidates.push({ group, tags, address: owner.address, managed: true, protect: owner.protect });
    } else if (!owner.managed && !ownedElsewhere(tags, env) && byName.has(group.TargetGroupName ?? "")) {
      candidates.push({
        group,
        tags,
        address: byName.get(group.TargetGroupName ?? "") as string,
        managed: false,
        protect: false,
      });
    }
  }

  const observed = await perResource(candidates, async (c): Promise<ObservedNode | undefined> => {
    const arn = c.group.TargetGroupArn ?? "";
    const [attributes, health] = await Promise.all([
      tolerate(
        () => ctx.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
        "TargetGroupNotFound",
      ),
      wantsTargets.has(c.address)
        ? tolerate(
            () => ctx.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
            "TargetGroupNotFound",
          )
        : Promise.resolve(undefined),
    ]);
    // Deleted between the listing and this read: it no longer exists.
    if (!attributes) return undefined;
    const targets = health ? registeredTargets(health.TargetHealthDescriptions ?? []) : undefined;
    return {
      type: TYPE,
      address: c.address,
      id: arn,
      managed: c.managed,
      protect: c.protect,
      attributes: observedAttributes(c.group, attributes.Attributes ?? [], c.tags, targets),
      outputs: { arn, name: c.group.TargetGroupName ?? "" },
      // DescribeTargetGroups repeats an ARN once per listener: keep each load balancer once.
      details: { loadBalancerArns: sortIds(c.group.LoadBalancerArns ?? []) },
    };
  });
  return observed.filter((o): o is ObservedNode => o !== undefined);
}
