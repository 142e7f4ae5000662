import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { Attrs, Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { claimThenUpdate, syncTags, tagsOf } from "../common/adoption.js";
import { changedPaths } from "../common/diff.js";
import { elbv2Tagger, httpProtocol, tagsOfArn } from "../common/elbv2.js";
import { stringList } from "../common/readers.js";
import { creationTags, toAwsTags } from "../common/ownership.js";
import { assertMadeHere } from "../common/rerun.js";
import { deleteWhenReleased } from "../common/waiting.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { moveListeners } from "./listenerMove.js";

/** The health-check settings the file sets, as CreateTargetGroup and ModifyTargetGroup take them. */
function healthCheckParams(healthCheck: Value | undefined) {
  const hc = isPlainObject(healthCheck) ? healthCheck : {};
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

/** The target-group attributes (key/value strings) that realise the desired state. */
export function attributeUpdates(desired: Attrs): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  const stickiness = desired.stickiness;
  if (isPlainObject(stickiness)) {
    out.push({ Key: "stickiness.enabled", Value: String(stickiness.enabled) });
    if (stickiness.type !== undefined) out.push({ Key: "stickiness.type", Value: String(stickiness.type) });
    if (stickiness.durationSeconds !== undefined) {
      out.push({ Key: "stickiness.lb_cookie.duration_seconds", Value: String(stickiness.durationSeconds) });
    }
  }
  if (desired.deregistrationDelaySeconds !== undefined) {
    out.push({
      Key: "deregistration_delay.timeout_seconds",
      Value: String(desired.deregistrationDelaySeconds),
    });
  }
  return out;
}

export async function createTargetGroup(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const desired = op.desired ?? {};
  const node = op.node!;
  const name = String(desired.name);
  let arn: string;
  try {
    const made = await ctx.elbv2.send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: httpProtocol(desired.protocol),
        Port: Number(desired.port),
        VpcId: String(desired.vpc),
        TargetType: "instance",
        ...healthCheckParams(desired.healthCheck),
        Tags: toAwsTags(creationTags(op.env, node, tagsOf(desired.tags))),
      }),
    );
    arn = made.TargetGroups?.[0]?.TargetGroupArn ?? "";
  } catch (error) {
    // A re-run after an interrupted apply: the group exists already, with our tags.
    if (!isAwsError(error, "DuplicateTargetGroupName")) throw error;
    arn = await findOwnTargetGroup(ctx, name, op);
    await ctx.elbv2.send(
      new ModifyTargetGroupCommand({ TargetGroupArn: arn, ...healthCheckParams(desired.healthCheck) }),
    );
  }
  await setAttributes(ctx, arn, desired);
  await register(ctx, arn, stringList(desired.targets));
  return { arn, name };
}

export async function updateTargetGroup(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const desired = op.desired ?? {};
  const arn = observed.id;
  const changed = changedPaths(desired, observed.attributes);
  if (changed("healthCheck")) {
    await ctx.elbv2.send(
      new ModifyTargetGroupCommand({ TargetGroupArn: arn, ...healthCheckParams(desired.healthCheck) }),
    );
  }
  if (changed("stickiness") || changed("deregistrationDelaySeconds")) await setAttributes(ctx, arn, desired);
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
  await syncTags(ctx, elbv2Tagger, op);
  return observed.outputs;
}

export const adoptTargetGroup = claimThenUpdate(elbv2Tagger, updateTargetGroup);

export async function replaceTargetGroup(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const old = op.observed!;
  const desired = op.desired ?? {};
  if (desired.name !== old.attributes.name) {
    // A new name lets the new group exist beside the old one: create it, move the listeners
    // that forward to the old group over, then delete the old group. No listener goes dark.
    const outputs = await createTargetGroup(ctx, op);
    await moveListeners(ctx, old.id, String(outputs.arn), stringList(old.details?.loadBalancerArns));
    await deleteOnceReleased(ctx, op, old.id);
    return outputs;
  }
  try {
    await deleteNow(ctx, old.id);
  } catch (error) {
    if (!isAwsError(error, "ResourceInUse")) throw error;
    throw new Error(
      `target group ${String(old.attributes.name)} is used by a listener, so AWS cannot delete it to replace it; ` +
        "give it a new name as well, so parity can create the new group first and move the listeners to it",
    );
  }
  return createTargetGroup(ctx, op);
}

export async function deleteTargetGroup(ctx: AwsContext, op: Operation): Promise<void> {
  await deleteOnceReleased(ctx, op, op.observed?.id ?? op.change.id ?? "");
}

async function findOwnTargetGroup(ctx: AwsContext, name: string, op: Operation): Promise<string> {
  const found = await ctx.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
  const arn = found.TargetGroups?.[0]?.TargetGroupArn ?? "";
  assertMadeHere(arn ? await tagsOfArn(ctx, arn) : {}, op, `a target group named ${name}`);
  return arn;
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

/** Deletes, tolerating "not found". */
async function deleteNow(ctx: AwsContext, arn: string): Promise<void> {
  await tolerate(
    () => ctx.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })),
    "TargetGroupNotFound",
  );
}

/**
 * While a listener still forwards to the group AWS says ResourceInUse; the listener is usually
 * being moved elsewhere by the same apply, so wait for it to let go.
 */
async function deleteOnceReleased(ctx: AwsContext, op: Operation, arn: string): Promise<void> {
  await deleteWhenReleased(
    op,
    {
      what: `target group ${arn} to be released by its listeners`,
      notFound: "TargetGroupNotFound",
      inUse: ["ResourceInUse"],
      timeoutMs: 5 * 60_000,
      intervalMs: 3000,
    },
    () => ctx.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })),
  );
}
