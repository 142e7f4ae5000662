import { paginateDescribeSecurityGroups } from "@aws-sdk/client-ec2";
import type { SecurityGroup } from "@aws-sdk/client-ec2";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim } from "../common/adoption.js";
import { fromAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { rulesFromPermissions, sortRules } from "./rules.js";
import { TYPE, groupSpec } from "./schema.js";

/** A live group in the shape `desiredGroup` produces; details keep the rules for revoking them. */
export function observedGroup(group: SecurityGroup, owner: Claim): ObservedNode {
  const rules = rulesFromPermissions(group.IpPermissions ?? []);
  const egress = rulesFromPermissions(group.IpPermissionsEgress ?? []);
  return {
    type: TYPE,
    ...claimed(owner),
    id: group.GroupId ?? "",
    attributes: {
      name: group.GroupName ?? "",
      description: group.Description ?? "",
      vpc: group.VpcId ?? "",
      ingress: sortRules(rules),
      egress: sortRules(egress),
      tags: fromAwsTags(group.Tags),
    },
    outputs: { id: group.GroupId ?? "", name: group.GroupName ?? "" },
    details: { rules: sortRules(rules), egressRules: sortRules(egress) },
  };
}

/** One paginated DescribeSecurityGroups; ours by tag, the file's others by name. */
export async function observeGroups(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const groups: SecurityGroup[] = [];
  for await (const page of paginateDescribeSecurityGroups({ client: ctx.ec2 }, {}))
    groups.push(...(page.SecurityGroups ?? []));
  return claim(groups, {
    tagsOf: (g) => fromAwsTags(g.Tags),
    keyOf: (g) => g.GroupName,
    labelOf: (g) => `security group ${g.GroupName ?? g.GroupId ?? ""}`,
    wanted: wantedBy(nodes, (n) => groupSpec(n).name),
    env,
  }).map(({ item, claim: owner }) => observedGroup(item, owner));
}
