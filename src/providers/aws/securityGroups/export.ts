import { paginateDescribeSecurityGroups } from "@aws-sdk/client-ec2";
import type { Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { exportedTags, itemOf } from "../common/exporting.js";
import { fromAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { networkFacts } from "../network.js";
import { observedGroup } from "./observe.js";
import { rulesOf } from "./rules.js";

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
    const ingress = rulesOf(a.ingress).flatMap((rule): { [key: string]: Value }[] => {
      const source = typeof rule.source === "string" ? rule.source : undefined;
      const named = source === undefined ? undefined : refs.to(source);
      if (source !== undefined && named === undefined) {
        omitted.push(
          `ingress from ${source} on ${rule.fromPort} (that group is not exported; --follow adds it)`,
        );
        return [];
      }
      if (rule.fromPort < 0) {
        omitted.push(`an ingress rule for protocol ${rule.protocol} without ports`);
        return [];
      }
      return [
        {
          port: rule.fromPort,
          ...(rule.toPort !== rule.fromPort ? { toPort: rule.toPort } : {}),
          protocol: rule.protocol,
          ...(rule.cidr !== undefined ? { cidr: rule.cidr } : {}),
          ...(named !== undefined ? { source: named } : {}),
        },
      ];
    });
    const vpc = String(a.vpc ?? "");
    return {
      spec: {
        name: item!.name,
        description: a.description ?? "",
        ...(vpc !== networkFacts(facts).vpcId ? { vpc } : {}),
        ...(ingress.length > 0 ? { ingress } : {}),
        ...exportedTags(item!.tags),
      },
      omitted,
    };
  },
  keyNoise: ["sg", "security", "group"],
};
