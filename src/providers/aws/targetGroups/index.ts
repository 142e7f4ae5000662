import { targetGroupExporter } from "./export.js";
import { healthCheckPaths } from "./wiring.js";
import { mapKind } from "../../../engine/kinds.js";
import type { Kind, KindProblem, ResourceType } from "../../../engine/types.js";
import type { Change, Value } from "../../../model/index.js";
import { stringList } from "../common/readers.js";
import type { AwsContext } from "../context.js";
import { desiredTargetGroup } from "./desired.js";
import { observeTargetGroups } from "./observe.js";
import {
  adoptTargetGroup,
  createTargetGroup,
  deleteTargetGroup,
  replaceTargetGroup,
  updateTargetGroup,
} from "./operations.js";
import { TYPE, TargetGroupSchema, targetGroupSpec } from "./schema.js";
import { owned } from "../common/owned.js";
import { elbv2Tagger } from "../common/elbv2.js";

/** Which instances an update registers and deregisters, with how long connections may drain. */
function targetNotes(change: Change): string[] {
  if (change.action !== "update" && change.action !== "adopt") return [];
  if (!change.attributes.some((a) => a.path === "targets")) return [];
  const before = stringList(change.before?.targets);
  const after = stringList(change.after?.targets);
  const removed = before.filter((id) => !after.includes(id));
  const added = after.filter((id) => !before.includes(id));
  const delay = change.before?.deregistrationDelaySeconds;
  return [
    ...(added.length ? [`register ${added.join(", ")}`] : []),
    ...(removed.length
      ? [
          `deregister ${removed.join(", ")}${typeof delay === "number" ? ` (connections drain for up to ${delay} s)` : ""}`,
        ]
      : []),
  ];
}

export const targetGroupType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: TargetGroupSchema,
  risks: (change) => (change.action === "replace" ? ["downtime"] : []),
  notes: targetNotes,
  plannedOutputs: (node) => ({ name: targetGroupSpec(node).name }),
  desired: desiredTargetGroup,
  observe: observeTargetGroups,
  create: createTargetGroup,
  update: updateTargetGroup,
  adopt: adoptTargetGroup,
  replace: replaceTargetGroup,
  delete: deleteTargetGroup,
  exporter: targetGroupExporter,
};

/** ELBv2 refuses a health check whose timeout is not shorter than its interval. */
function checkTargetGroup(_address: string, spec: { [key: string]: Value }): KindProblem[] {
  const check = targetGroupSpec({ spec }).healthCheck;
  if (check?.timeoutSeconds === undefined || check.timeoutSeconds < (check.intervalSeconds ?? 30)) return [];
  return [
    {
      path: ["healthCheck", "timeoutSeconds"],
      message: `timeoutSeconds ${check.timeoutSeconds} must be shorter than intervalSeconds ${check.intervalSeconds ?? 30}`,
    },
  ];
}

export const targetGroups: Kind<AwsContext> = mapKind(
  owned(targetGroupType, () => elbv2Tagger),
  {
    outputs: ["arn", "name"],
    check: checkTargetGroup,
    wiring: [healthCheckPaths],
  },
);
