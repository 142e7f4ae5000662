import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { DescribeLoadBalancersInput, LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { Attrs, ObservedNode } from "../../../model/index.js";
import { claimThenUpdate, syncTags, tagsOf } from "../common/adoption.js";
import { changedPaths } from "../common/diff.js";
import { elbv2Tagger, tagsOfArn } from "../common/elbv2.js";
import { stringList } from "../common/readers.js";
import { creationTags, toAwsTags } from "../common/ownership.js";
import { assertMadeHere } from "../common/rerun.js";
import { waitFor } from "../common/waiting.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import { ATTRIBUTE_KEYS, loadBalancerOutputs, observedLoadBalancer } from "./observe.js";
import { TYPE } from "./schema.js";

/** The load-balancer attributes (key/value strings) that realise the desired state. */
export function loadBalancerAttributeUpdates(desired: Attrs): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  if (desired.idleTimeoutSeconds !== undefined)
    out.push({ Key: ATTRIBUTE_KEYS.idleTimeoutSeconds, Value: String(desired.idleTimeoutSeconds) });
  if (desired.crossZone !== undefined)
    out.push({ Key: ATTRIBUTE_KEYS.crossZone, Value: String(desired.crossZone) });
  return out;
}

export async function createLoadBalancer(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const desired = op.desired ?? {};
  const node = op.node!;
  const name = String(desired.name);
  // CreateLoadBalancer is not idempotent everywhere (an emulator makes a second one with the
  // same name), so a re-run after an interrupted apply looks for its own first, and converges it.
  let lb = await describeOne(ctx, { Names: [name] });
  if (lb) await convergeMadeEarlier(ctx, op, lb);
  else {
    const made = await ctx.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: name,
        Type: "application",
        Scheme: desired.scheme === "internal" ? "internal" : "internet-facing",
        Subnets: stringList(desired.subnets),
        ...(desired.securityGroups !== undefined
          ? { SecurityGroups: stringList(desired.securityGroups) }
          : {}),
        Tags: toAwsTags(creationTags(op.env, node, tagsOf(desired.tags))),
      }),
    );
    lb = made.LoadBalancers?.[0] ?? {};
    await setAttributes(ctx, lb.LoadBalancerArn ?? "", desired);
  }
  if (!op.noWait) lb = await waitActive(ctx, lb.LoadBalancerArn ?? "", op);
  return loadBalancerOutputs(lb);
}

/** The load balancer an interrupted run made, if its tags say so, converged the way an update would. */
async function convergeMadeEarlier(ctx: AwsContext, op: Operation, lb: LoadBalancer): Promise<void> {
  const arn = lb.LoadBalancerArn ?? "";
  const tags = await tagsOfArn(ctx, arn);
  assertMadeHere(tags, op, `a load balancer named ${lb.LoadBalancerName ?? arn}`);
  const observed: ObservedNode = {
    type: TYPE,
    address: op.change.address,
    managed: true,
    id: arn,
    attributes: observedLoadBalancer(lb, [], tags),
    outputs: loadBalancerOutputs(lb),
  };
  await updateLoadBalancer(ctx, { ...op, observed });
}

/** Applies whatever differs: subnets, security groups, attributes, then the file's tags. */
export async function updateLoadBalancer(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const desired = op.desired ?? {};
  const arn = observed.id;
  const changed = changedPaths(desired, observed.attributes);
  if (changed("subnets"))
    await ctx.elbv2.send(
      new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: stringList(desired.subnets) }),
    );
  if (changed("securityGroups")) {
    await ctx.elbv2.send(
      new SetSecurityGroupsCommand({
        LoadBalancerArn: arn,
        SecurityGroups: stringList(desired.securityGroups),
      }),
    );
  }
  if (changed("idleTimeoutSeconds") || changed("crossZone")) await setAttributes(ctx, arn, desired);
  await syncTags(ctx, elbv2Tagger, op);
  return observed.outputs;
}

export const adoptLoadBalancer = claimThenUpdate(elbv2Tagger, updateLoadBalancer);

export async function deleteLoadBalancer(ctx: AwsContext, op: Operation): Promise<void> {
  const arn = op.observed?.id ?? op.change.id ?? "";
  await tolerate(
    () => ctx.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })),
    "LoadBalancerNotFound",
  );
  if (op.noWait) return;
  // Its target groups and security groups can only go once the load balancer is gone.
  await waitFor(
    op,
    `load balancer ${arn} to be deleted`,
    { timeoutMs: 10 * 60_000, intervalMs: 5000 },
    async () => ((await describeOne(ctx, { LoadBalancerArns: [arn] })) ? undefined : true),
  );
}

async function setAttributes(ctx: AwsContext, arn: string, desired: Attrs): Promise<void> {
  const attributes = loadBalancerAttributeUpdates(desired);
  if (attributes.length === 0) return;
  await ctx.elbv2.send(
    new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: attributes }),
  );
}

/** The load balancer a name or ARN picks, if it exists. */
async function describeOne(
  ctx: AwsContext,
  by: DescribeLoadBalancersInput,
): Promise<LoadBalancer | undefined> {
  const found = await tolerate(
    () => ctx.elbv2.send(new DescribeLoadBalancersCommand(by)),
    "LoadBalancerNotFound",
  );
  return found?.LoadBalancers?.[0];
}

async function waitActive(ctx: AwsContext, arn: string, op: Operation): Promise<LoadBalancer> {
  return waitFor(op, "load balancer active", { timeoutMs: 15 * 60_000, intervalMs: 5000 }, async () => {
    const lb = await describeOne(ctx, { LoadBalancerArns: [arn] });
    if (lb?.State?.Code === "failed")
      throw new Error(`load balancer ${arn} failed: ${lb.State.Reason ?? "no reason given"}`);
    return lb?.State?.Code === "active" ? lb : undefined;
  });
}
