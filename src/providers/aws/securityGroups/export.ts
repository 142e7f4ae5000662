import { paginateDescribeSecurityGroups } from "@aws-sdk/client-ec2";
import type { Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { exportedTags, itemOf } from "../common/exporting.js";
import { fromAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { networkFacts } from "../network.js";
import { observedGroup } from "./observe.js";
import { DEFAULT_EGRESS, rulesOf, sortRules } from "./rules.js";

function sameRules(live: Value | undefined, rules: Parameters<typeof sortRules>[0]): boolean {
  return JSON.stringify(live ?? []) === JSON.stringify(sortRules(rules));
}

const NOBODY = { address: "", managed: false, protect: false };

/** Every group of the region but the VPCs' `default` ones, which nobody creates. */
export const groupExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const items = [];
    for await (const page of paginateDescribeSecurityGroups({ client: ctx.ec2 }, {})) {
      for (const group of page.SecurityGroups ?? []) {
        if (group.GroupName === "default") continue;
        const tags = fromAwsTags(group.Tags);
        items.push(itemOf(observedGroup(group, NOBODY), group.GroupName ?? "", tags, env));
      }
    }
    return items;
  },
  entry([item], { refs, facts }) {
    const a = item!.attributes;
    const omitted: string[] = [];
    const rules = (direction: "ingress" | "egress") =>
      rulesOf(a[direction]).flatMap((rule): { [key: string]: Value }[] => {
        const source = typeof rule.source === "string" ? rule.source : undefined;
        const named = source === undefined ? undefined : refs.to(source);
        if (source !== undefined && named === undefined) {
          omitted.push(
            `${direction} ${direction === "ingress" ? "from" : "to"} ${source} on ${rule.fromPort} (that group is not exported; --follow adds it)`,
          );
          return [];
        }
        const all = rule.protocol === "all";
        if (rule.fromPort < 0 && !all) {
          omitted.push(`an ${direction} rule for protocol ${rule.protocol} without ports`);
          return [];
        }
        return [
          {
            port: all ? 0 : rule.fromPort,
            ...(!all && rule.toPort !== rule.fromPort ? { toPort: rule.toPort } : {}),
            protocol: rule.protocol,
            ...(rule.cidr !== undefined ? { cidr: rule.cidr } : {}),
            ...(named !== undefined ? { source: named } : {}),
            ...(rule.description ? { description: rule.description } : {}),
          },
        ];
      });
    const ingress = rules("ingress");
    // AWS's all-outbound default is what a file without `egress` means: left out, like any default.
    const egress = sameRules(a.egress, DEFAULT_EGRESS) ? undefined : rules("egress");
    const vpc = String(a.vpc ?? "");
    return {
      spec: {
        name: item!.name,
        description: a.description ?? "",
        ...(vpc !== networkFacts(facts).vpcId ? { vpc } : {}),
        ...(ingress.length > 0 ? { ingress } : {}),
        ...(egress !== undefined ? { egress } : {}),
        ...exportedTags(item!.tags),
      },
      omitted,
    };
  },
  keyNoise: ["sg", "security", "group"],
};
