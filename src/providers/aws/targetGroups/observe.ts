import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeTargetGroups,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type {
  TargetGroup,
  TargetGroupAttribute,
  TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import { perResource } from "../common/elbv2.js";
import { anyOurs, taggedOfType, tagsForClaims } from "../common/claimTags.js";
import { TARGET_GROUP_ARN, elbv2Tags } from "../common/elbv2Tags.js";
import { sortIds } from "../common/lists.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import { normaliseMatcher } from "./desired.js";
import { TARGET_GROUP_DEFAULTS, TYPE, targetGroupSpec } from "./schema.js";

function numberOr(value: string | undefined, fallback: Value): Value {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/**
 * Registered instance ids as a sorted set. Targets being drained after a deregistration are
 * already gone as far as the file is concerned: counting them would show a diff until they drain.
 */
export function registeredTargets(health: TargetHealthDescription[]): string[] {
  const ids = health
    .filter((h) => h.TargetHealth?.State !== "draining")
    .map((h) => h.Target?.Id)
    .filter((id): id is string => !!id);
  return sortIds(ids);
}

/** A target group as comparable attributes, in the same shape `desiredTargetGroup` produces. */
export function observedAttributes(
  group: TargetGroup,
  attributes: TargetGroupAttribute[],
  tags: TagMap,
  targets: string[] | undefined,
): Attrs {
  const attr = new Map(attributes.map((a) => [a.Key ?? "", a.Value]));
  return {
    name: group.TargetGroupName ?? "",
    port: group.Port ?? null,
    protocol: (group.Protocol ?? "").toUpperCase(),
    vpc: group.VpcId ?? "",
    healthCheck: {
      path: group.HealthCheckPath ?? null,
      intervalSeconds: group.HealthCheckIntervalSeconds ?? null,
      timeoutSeconds: group.HealthCheckTimeoutSeconds ?? null,
      healthyThreshold: group.HealthyThresholdCount ?? null,
      unhealthyThreshold: group.UnhealthyThresholdCount ?? null,
      matcher: group.Matcher?.HttpCode ? normaliseMatcher(group.Matcher.HttpCode) : null,
    },
    stickiness: {
      enabled: attr.get("stickiness.enabled") === "true",
      type: attr.get("stickiness.type") ?? null,
      // Absent on some emulators until set: absent is AWS's default.
      durationSeconds: numberOr(
        attr.get("stickiness.lb_cookie.duration_seconds"),
        TARGET_GROUP_DEFAULTS.stickinessDurationSeconds,
      ),
    },
    deregistrationDelaySeconds: numberOr(
      attr.get("deregistration_delay.timeout_seconds"),
      TARGET_GROUP_DEFAULTS.deregistrationDelaySeconds,
    ),
    ...(targets ? { targets } : {}),
    tags,
  };
}

async function listTargetGroups(ctx: AwsContext): Promise<TargetGroup[]> {
  const groups: TargetGroup[] = [];
  for await (const page of paginateDescribeTargetGroups({ client: ctx.elbv2, pageSize: 400 }, {}))
    groups.push(...(page.TargetGroups ?? []));
  return groups;
}

/**
 * One paginated DescribeTargetGroups for the whole region, alongside the shared tagging answer
 * that says which are ours (and with what tags); the service's tags only where that answer is not
 * enough (`tagsForClaims`). Attributes and target health exist only per target group (no batch
 * API), so those two reads run for the groups the plan sees, a few at a time. A file without
 * target groups lists none unless one is ours.
 */
export async function observeTargetGroups(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const tagging = taggedOfType(ctx, env, "elasticloadbalancing", TARGET_GROUP_ARN);
  if (nodes.length === 0 && !anyOurs(await tagging, env)) return [];
  // Target health is read only where the file manages targets; elsewhere it is never compared.
  const wantsTargets = new Set(
    nodes.filter((n) => targetGroupSpec(n).targets !== undefined).map((n) => n.address),
  );
  const [groups, tagged] = await Promise.all([listTargetGroups(ctx), tagging]);
  const wanted = wantedBy(nodes, (n) => targetGroupSpec(n).name);
  const protectedNames = new Set(nodes.filter((n) => n.protect).map((n) => targetGroupSpec(n).name));
  const listed = groups.map((g) => ({ arn: g.TargetGroupArn ?? "", name: g.TargetGroupName }));
  const tagsByArn = await tagsForClaims(env, listed, {
    tagged,
    wanted,
    protectedNames,
    readTags: (arns) => elbv2Tags(ctx, arns),
  });
  const tagsOf = (group: TargetGroup) => tagsByArn.get(group.TargetGroupArn ?? "") ?? {};

  const claims = claim(
    groups.filter((g) => tagsByArn.has(g.TargetGroupArn ?? "")),
    {
      tagsOf,
      keyOf: (g) => g.TargetGroupName,
      labelOf: (g) => `target group ${g.TargetGroupName ?? g.TargetGroupArn ?? ""}`,
      wanted,
      env,
    },
  );
  const observed = await perResource(claims, async ({ item: group, claim: owner }) => {
    const arn = group.TargetGroupArn ?? "";
    const [attributes, health] = await Promise.all([
      tolerate(
        () => ctx.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
        "TargetGroupNotFound",
      ),
      wantsTargets.has(owner.address)
        ? tolerate(
            () => ctx.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
            "TargetGroupNotFound",
          )
        : Promise.resolve(undefined),
    ]);
    // Deleted between the listing and this read: it no longer exists.
    if (!attributes) return undefined;
    const targets = health ? registeredTargets(health.TargetHealthDescriptions ?? []) : undefined;
    const node: ObservedNode = {
      type: TYPE,
      ...claimed(owner),
      id: arn,
      attributes: observedAttributes(group, attributes.Attributes ?? [], tagsOf(group), targets),
      outputs: { arn, name: group.TargetGroupName ?? "" },
      // DescribeTargetGroups repeats an ARN once per listener: keep each load balancer once.
      details: { loadBalancerArns: sortIds(group.LoadBalancerArns ?? []) },
    };
    return node;
  });
  return observed.filter((o): o is ObservedNode => o !== undefined);
}
