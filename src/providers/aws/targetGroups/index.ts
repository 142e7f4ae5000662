import {
  AddTagsCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import { compareAttributes } from "../../../engine/compare.js";
import { oneNode } from "../../../engine/kinds.js";
import type { Kind, Operation, Outputs, ResourceType, Resolver } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import type { Attrs, Value } from "../../../model/index.js";
import { unknown } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { describeTags } from "../common/elbv2.js";
import { sortIds } from "../common/lists.js";
import { changedTags } from "../common/ownership.js";
import { isAwsError, tolerate } from "../errors.js";
import { networkFacts } from "../network.js";
import { adoptionTags, ownership, ownershipTags, toAwsTags, userTags } from "../tags.js";
import { attributeUpdates, desiredHealthCheck, desiredStickiness } from "./attributes.js";
import type { HealthCheckSpec, StickinessSpec } from "./attributes.js";
import { TYPE, observeTargetGroups } from "./observe.js";
import { targetGroupSchema } from "./schema.js";

type Spec = {
  name: string;
  port: number;
  protocol?: "HTTP" | "HTTPS";
  vpc?: string;
  healthCheck?: HealthCheckSpec;
  stickiness?: StickinessSpec;
  deregistrationDelaySeconds?: number;
  targets?: string | string[];
  tags?: Record<string, string>;
};

function spec(value: { [key: string]: Value }): Spec {
  return value as unknown as Spec;
}

/** Every member of the referenced instance groups, by id; new instances are not known until apply. */
export function desiredTargets(targets: string | string[], resolver: Resolver): Value[] {
  const groups = Array.isArray(targets) ? targets : [targets];
  return sortIds(
    groups.flatMap((group) => resolver.group(group).map((outputs) => outputs.id ?? unknown(`${group}.id`))),
  );
}

function healthCheckParams(healthCheck: Attrs | undefined) {
  const hc = healthCheck ?? {};
  return {
    ...(hc.path !== undefined ? { HealthCheckPath: String(hc.path) } : {}),
    ...(hc.intervalSeconds !== undefined ? { HealthCheckIntervalSeconds: Number(hc.intervalSeconds) } : {}),
    ...(hc.timeoutSeconds !== undefined ? { HealthCheckTimeoutSeconds: Number(hc.timeoutSeconds) } : {}),
    ...(hc.healthyThreshold !== undefined ? { HealthyThresholdCount: Number(hc.healthyThreshold) } : {}),
    ...(hc.unhealthyThreshold !== undefined
      ? { UnhealthyThresholdCount: Number(hc.unhealthyThreshold) }
      : {}),
    ...(hc.matcher !== undefined ? { Matcher: { HttpCode: String(hc.matcher) } } : {}),
  };
}

function stringList(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export const targetGroupType: ResourceType<AwsContext> = {
  type: TYPE,
  replaceOn: ["name", "port", "protocol", "vpcId"],

  risks(change) {
    return change.action === "replace" ? ["downtime"] : [];
  },

  notes(change) {
    const before = stringList(change.before?.targets);
    const after = stringList(change.after?.targets);
    if (change.action !== "update" && change.action !== "adopt") return [];
    if (!change.attributes.some((a) => a.path === "targets")) return [];
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
  },

  plannedOutputs(node) {
    return { name: spec(node.spec).name };
  },

  desired(node, resolver) {
    const s = spec(node.spec);
    const attributes: Attrs = {
      name: s.name,
      port: s.port,
      protocol: s.protocol ?? "HTTP",
      vpcId: s.vpc ?? networkFacts(resolver.facts).vpcId,
    };
    const healthCheck = desiredHealthCheck(s.healthCheck ?? {});
    if (Object.keys(healthCheck).length > 0) attributes.healthCheck = healthCheck;
    if (s.stickiness !== undefined) attributes.stickiness = desiredStickiness(s.stickiness);
    if (s.deregistrationDelaySeconds !== undefined)
      attributes.deregistrationDelaySeconds = s.deregistrationDelaySeconds;
    if (s.targets !== undefined) attributes.targets = desiredTargets(s.targets, resolver);
    attributes.tags = userTags(resolver.env, s.tags);
    return { attributes };
  },

  observe: observeTargetGroups,

  async create(ctx, op) {
    const desired = op.desired ?? {};
    const node = op.node!;
    const name = String(desired.name);
    let arn: string;
    try {
      const made = await ctx.elbv2.send(
        new CreateTargetGroupCommand({
          Name: name,
          Protocol: String(desired.protocol) as "HTTP" | "HTTPS",
          Port: Number(desired.port),
          VpcId: String(desired.vpcId),
          TargetType: "instance",
          ...healthCheckParams(desired.healthCheck as Attrs | undefined),
          Tags: toAwsTags({
            ...(desired.tags as Record<string, string>),
            ...ownershipTags(op.env, node.address, node.protect),
          }),
        }),
      );
      arn = made.TargetGroups?.[0]?.TargetGroupArn ?? "";
    } catch (error) {
      // A re-run after an interrupted apply: the group exists already, with our tags.
      if (!isAwsError(error, "DuplicateTargetGroupName")) throw error;
      arn = await findOwnTargetGroup(ctx, name, op);
      await ctx.elbv2.send(
        new ModifyTargetGroupCommand({
          TargetGroupArn: arn,
          ...healthCheckParams(desired.healthCheck as Attrs | undefined),
        }),
      );
    }
    await setAttributes(ctx, arn, desired);
    await register(ctx, arn, stringList(desired.targets));
    return { arn, name };
  },

  async update(ctx, op) {
    const observed = op.observed!;
    const desired = op.desired ?? {};
    const arn = observed.id;
    const paths = compareAttributes(desired, observed.attributes, { replaceOn: [] }).map((a) => a.path);
    const changed = (prefix: string) => paths.some((p) => p === prefix || p.startsWith(prefix + "."));
    if (changed("healthCheck")) {
      await ctx.elbv2.send(
        new ModifyTargetGroupCommand({
          TargetGroupArn: arn,
          ...healthCheckParams(desired.healthCheck as Attrs),
        }),
      );
    }
    if (changed("stickiness") || changed("deregistrationDelaySeconds"))
      await setAttributes(ctx, arn, desired);
    if (changed("targets")) {
      const want = stringList(desired.targets);
      const have = stringList(observed.attributes.targets);
      await register(
        ctx,
        arn,
        want.filter((id) => !have.includes(id)),
      );
      // Instances leaving the group are deregistered here; the engine terminates them only after
      // this update, so the load balancer stops sending them traffic first.
      await deregister(
        ctx,
        arn,
        have.filter((id) => !want.includes(id)),
      );
    }
    const tags = changedTags(
      desired.tags as Record<string, string>,
      (observed.attributes.tags ?? {}) as Record<string, string>,
    );
    if (Object.keys(tags).length > 0)
      await ctx.elbv2.send(new AddTagsCommand({ ResourceArns: [arn], Tags: toAwsTags(tags) }));
    return observed.outputs as Outputs;
  },

  async adopt(ctx, op) {
    await ctx.elbv2.send(
      new AddTagsCommand({
        ResourceArns: [op.observed!.id],
        Tags: adoptionTags(op),
      }),
    );
    return targetGroupType.update(ctx, op);
  },

  async replace(ctx, op) {
    const old = op.observed!;
    const desired = op.desired ?? {};
    if (desired.name !== old.attributes.name) {
      // A new name lets the new group exist beside the old one: create it, move the listeners
      // that forward to the old group over, then delete the old group. No listener goes dark.
      const outputs = await targetGroupType.create(ctx, op);
      await moveListeners(ctx, old.id, String(outputs.arn), stringList(old.details?.loadBalancerArns));
      await deleteTargetGroup(ctx, old.id, op, true);
      return outputs;
    }
    try {
      await deleteTargetGroup(ctx, old.id, op, false);
    } catch (error) {
      if (!isAwsError(error, "ResourceInUse")) throw error;
      throw new Error(
        `target group ${String(old.attributes.name)} is used by a listener, so AWS cannot delete it to replace it; ` +
          "give it a new name as well, so parity can create the new group first and move the listeners to it",
      );
    }
    return targetGroupType.create(ctx, op);
  },

  async delete(ctx, op) {
    await deleteTargetGroup(ctx, op.observed?.id ?? op.change.id ?? "", op, true);
  },
};

async function findOwnTargetGroup(ctx: AwsContext, name: string, op: Operation): Promise<string> {
  const found = await ctx.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
  const arn = found.TargetGroups?.[0]?.TargetGroupArn;
  if (arn) {
    const tags = await describeTags(ctx, [arn]);
    const owner = ownership(tags.get(arn) ?? {}, op.env);
    if (owner.address === op.change.address) return arn;
  }
  throw new Error(
    `a target group named ${name} already exists and is not managed by this environment (rename it, or remove it so parity can adopt it)`,
  );
}

async function setAttributes(ctx: AwsContext, arn: string, desired: Attrs): Promise<void> {
  const attributes = attributeUpdates(desired);
  if (attributes.length === 0) return;
  await ctx.elbv2.send(
    new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: attributes }),
  );
}

async function register(ctx: AwsContext, arn: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map((Id) => ({ Id })) }),
  );
}

async function deregister(ctx: AwsContext, arn: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  // A target already gone (its instance terminated meanwhile) is what we wanted anyway.
  await tolerate(
    () =>
      ctx.elbv2.send(
        new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map((Id) => ({ Id })) }),
      ),
    "InvalidTarget",
  );
}

/** Points every listener that forwards to `from` at `to` instead. */
async function moveListeners(
  ctx: AwsContext,
  from: string,
  to: string,
  loadBalancerArns: string[],
): Promise<void> {
  for (const loadBalancerArn of loadBalancerArns) {
    const listeners = await tolerate(
      () => ctx.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })),
      "LoadBalancerNotFound",
    );
    for (const listener of listeners?.Listeners ?? []) {
      const actions = listener.DefaultActions ?? [];
      if (!actions.some((a) => forwardsTo(a, from))) continue;
      await ctx.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: listener.ListenerArn,
          DefaultActions: actions.map((a) =>
            forwardsTo(a, from)
              ? { Type: "forward", TargetGroupArn: to, ...(a.Order ? { Order: a.Order } : {}) }
              : a,
          ),
        }),
      );
    }
  }
}

function forwardsTo(action: Action, arn: string): boolean {
  return (
    action.TargetGroupArn === arn ||
    (action.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === arn)
  );
}

/**
 * Deletes, tolerating "not found". While a listener still forwards to the group AWS says
 * ResourceInUse; the listener is usually being moved elsewhere by the same apply, so wait.
 */
async function deleteTargetGroup(
  ctx: AwsContext,
  arn: string,
  op: Operation,
  waitWhileInUse: boolean,
): Promise<void> {
  const attempt = () =>
    tolerate(
      () => ctx.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })),
      "TargetGroupNotFound",
    );
  if (!waitWhileInUse) {
    await attempt();
    return;
  }
  await waitUntil(
    async () => {
      try {
        await attempt();
        return true;
      } catch (error) {
        if (isAwsError(error, "ResourceInUse")) return undefined;
        throw error;
      }
    },
    {
      what: `target group ${arn} to be released by its listeners`,
      timeoutMs: 5 * 60_000,
      intervalMs: 3000,
      signal: op.signal,
      progress: op.progress,
    },
  );
}

export const targetGroups: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: targetGroupSchema,
  outputs: ["arn", "name"],
  expand: oneNode(TYPE),
  types: [targetGroupType],
};
