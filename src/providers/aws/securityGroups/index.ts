import { mapKind } from "../../../engine/kinds.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { Change } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { checkGroup } from "./check.js";
import { desiredGroup } from "./desired.js";
import { observeGroups } from "./observe.js";
import {
  adoptGroup,
  authorizeLater,
  createGroup,
  deleteGroup,
  updateGroup,
  withoutUnknownRules,
} from "./operations.js";
import { sshOpenToWorld } from "./wiring.js";
import { SecurityGroupSchema, TYPE, groupSpec } from "./schema.js";
import { owned } from "../common/owned.js";
import { ec2Tagger } from "../common/ec2.js";
import { groupExporter } from "./export.js";

/**
 * Opening a group to 0.0.0.0/0, by a new inbound rule or a new group, is called out in the plan.
 * Outbound rules expose nothing (every group has AWS's all-outbound rule by default).
 */
function opensToTheWorld(change: Change): boolean {
  const world = (value: unknown) => JSON.stringify(value ?? "").includes('"0.0.0.0/0"');
  if (change.action === "create") return world(change.after?.ingress);
  return change.attributes.some((a) => a.path === "ingress" && world(a.after) && !world(a.before));
}

export const securityGroupType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: SecurityGroupSchema,
  risks: (change) => (opensToTheWorld(change) ? ["public-exposure"] : []),
  plannedOutputs: (node) => ({ name: groupSpec(node).name }),
  desired: desiredGroup,
  observe: observeGroups,
  create: createGroup,
  update: updateGroup,
  adopt: adoptGroup,
  delete: deleteGroup,
  // A rule is not a creation dependency: groups may name themselves and each other.
  laterReferences: ["ingress[].source", "egress[].source"],
  withoutUnknown: withoutUnknownRules,
  completeLater: authorizeLater,
  exporter: groupExporter,
};

export const securityGroups: Kind<AwsContext> = mapKind(
  owned(securityGroupType, () => ec2Tagger),
  {
    outputs: ["id", "name"],
    check: checkGroup,
    wiring: [sshOpenToWorld],
  },
);
