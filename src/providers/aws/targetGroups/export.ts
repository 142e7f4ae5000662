import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeTargetGroups,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ExportItem, Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { describeTags, perResource } from "../common/elbv2.js";
import { exportedTags, itemOf, strings } from "../common/exporting.js";
import type { AwsContext } from "../context.js";
import { networkFacts } from "../network.js";
import { observedAttributes, registeredTargets } from "./observe.js";

function withoutNulls(value: Value | undefined): { [key: string]: Value } {
  return isPlainObject(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) : {};
}

/** Every target group of the region, with its attributes and registered targets. */
export const targetGroupExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const groups: TargetGroup[] = [];
    for await (const page of paginateDescribeTargetGroups({ client: ctx.elbv2 }, {}))
      groups.push(...(page.TargetGroups ?? []));
    const tags = await describeTags(ctx, groups.map((g) => g.TargetGroupArn ?? "").filter(Boolean));
    return perResource(groups, async (group): Promise<ExportItem> => {
      const arn = group.TargetGroupArn ?? "";
      const [attributes, health] = await Promise.all([
        ctx.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
        ctx.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
      ]);
      const own = tags.get(arn) ?? {};
      const targets = registeredTargets(health.TargetHealthDescriptions ?? []);
      const node = {
        id: arn,
        attributes: observedAttributes(group, attributes.Attributes ?? [], own, targets),
        outputs: { arn, name: group.TargetGroupName ?? "" },
      };
      return itemOf(node, group.TargetGroupName ?? "", own, env);
    });
  },
  entry([item], { refs, facts }) {
    const a = item!.attributes;
    const omitted: string[] = [];
    const sticky = withoutNulls(a.stickiness);
    const ids = strings(a.targets);
    const groups = ids.map((id) => refs.to(id));
    const targets = [...new Set(groups.filter((g): g is string => g !== undefined))];
    if (ids.length > 0 && groups.includes(undefined))
      omitted.push(`targets ${ids.join(", ")} (not all of them are exported instances; --follow adds them)`);
    const vpc = String(a.vpc ?? "");
    return {
      spec: {
        name: item!.name,
        port: a.port ?? 0,
        protocol: a.protocol ?? "HTTP",
        ...(vpc !== networkFacts(facts).vpcId ? { vpc } : {}),
        healthCheck: withoutNulls(a.healthCheck),
        stickiness:
          sticky.enabled === true
            ? { type: "lb_cookie", durationSeconds: sticky.durationSeconds ?? 86400 }
            : false,
        deregistrationDelaySeconds: a.deregistrationDelaySeconds ?? 300,
        ...(ids.length > 0 && !groups.includes(undefined)
          ? { targets: targets.length === 1 ? targets[0]! : targets }
          : {}),
        ...exportedTags(item!.tags),
      },
      omitted,
    };
  },
  keyNoise: ["tg", "target", "group"],
};
