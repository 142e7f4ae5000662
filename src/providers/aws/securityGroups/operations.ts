import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from "@aws-sdk/client-ec2";
import type { IpPermission } from "@aws-sdk/client-ec2";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { Attrs, ObservedNode } from "../../../model/index.js";
import { containsUnknown } from "../../../model/index.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import { ec2Tagger } from "../common/ec2.js";
import { creationTags, fromAwsTags, toAwsTags } from "../common/ownership.js";
import { resumeOwn } from "../common/rerun.js";
import { deleteWhenReleased } from "../common/waiting.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { DEFAULT_EGRESS, DIRECTIONS, ruleKey, rulesOf, rulesToPermissions, sortRules } from "./rules.js";
import type { Direction, Rule } from "./rules.js";
import { defaultDescription } from "./schema.js";

type RuleSets = Record<Direction, Rule[]>;

/** What a group has now: from discovery (with the descriptions a revoke needs), or what AWS gives a new one. */
function liveRules(observed: ObservedNode | undefined): RuleSets {
  if (!observed) return { ingress: [], egress: DEFAULT_EGRESS };
  return { ingress: rulesOf(observed.details?.rules), egress: rulesOf(observed.details?.egressRules) };
}

function wantedRules(attrs: Attrs | undefined): RuleSets {
  return { ingress: rulesOf(attrs?.ingress), egress: rulesOf(attrs?.egress) };
}

/** Revokes what the file does not list and authorises what is missing, in each direction. */
async function convergeRules(
  ctx: AwsContext,
  groupId: string,
  have: RuleSets,
  want: RuleSets,
): Promise<void> {
  for (const direction of DIRECTIONS) {
    const wantKeys = new Set(want[direction].map(ruleKey));
    const haveKeys = new Set(have[direction].map(ruleKey));
    await revoke(
      ctx,
      groupId,
      direction,
      have[direction].filter((r) => !wantKeys.has(ruleKey(r))),
    );
    await authorize(
      ctx,
      groupId,
      direction,
      want[direction].filter((r) => !haveKeys.has(ruleKey(r))),
    );
  }
}

export async function createGroup(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const desired = op.desired ?? {};
  const node = op.node!;
  const name = String(desired.name);
  const vpc = String(desired.vpc);
  let groupId: string;
  try {
    const made = await ctx.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        Description: String(desired.description ?? defaultDescription(name)),
        VpcId: vpc,
        TagSpecifications: [
          {
            ResourceType: "security-group",
            Tags: toAwsTags(creationTags(op.env, node, desired.tags as TagMap)),
          },
        ],
      }),
    );
    groupId = made.GroupId ?? "";
  } catch (error) {
    // A re-run after an interrupted apply: the group exists with our tags already.
    if (!isAwsError(error, "InvalidGroup.Duplicate")) throw error;
    groupId = await findOwnGroup(ctx, name, vpc, op);
  }
  // A new group (or our own from an interrupted run) starts from AWS's default outbound rule;
  // revoking it again, or authorising a rule already there, is tolerated.
  await convergeRules(ctx, groupId, liveRules(undefined), wantedRules(desired));
  return { id: groupId, name };
}

export async function updateGroup(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const have = liveRules(observed);
  const want = wantedRules(op.desired);
  await convergeRules(ctx, observed.id, have, want);
  for (const direction of DIRECTIONS)
    await describeRules(ctx, observed.id, direction, redescribed(have[direction], want[direction]));
  await syncTags(ctx, ec2Tagger, op);
  return observed.outputs;
}

export const adoptGroup = claimThenUpdate(ec2Tagger, updateGroup);

/** A rule may name a group that did not exist yet (or this one): the first step left those out. */
export function withoutUnknownRules(attrs: Attrs): Attrs {
  const known = (direction: Direction) =>
    sortRules(rulesOf(attrs[direction]).filter((r) => !containsUnknown(r.source ?? null)));
  return { ...attrs, ingress: known("ingress"), egress: known("egress") };
}

/** The second step: every rule, now that the groups they name exist (duplicates are tolerated). */
export async function authorizeLater(ctx: AwsContext, op: Operation, outputs: Outputs): Promise<void> {
  const want = wantedRules(op.desired);
  for (const direction of DIRECTIONS) await authorize(ctx, String(outputs.id), direction, want[direction]);
}

export async function deleteGroup(ctx: AwsContext, op: Operation): Promise<void> {
  const id = op.observed?.id ?? op.change.id ?? "";
  // Instances being terminated still hold the group for a while: AWS says DependencyViolation.
  await deleteWhenReleased(
    op,
    {
      what: `security group ${id} to be released`,
      notFound: "InvalidGroup.NotFound",
      inUse: ["DependencyViolation"],
      timeoutMs: 10 * 60_000,
      intervalMs: 5000,
    },
    () => ctx.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })),
  );
}

async function findOwnGroup(ctx: AwsContext, name: string, vpcId: string, op: Operation): Promise<string> {
  const found = await ctx.ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: "group-name", Values: [name] },
        { Name: "vpc-id", Values: [vpcId] },
      ],
    }),
  );
  const group = resumeOwn(found.SecurityGroups?.[0], (g) => fromAwsTags(g.Tags), op, {
    what: `a security group named ${name}`,
    hint: "adopt it by removing and re-planning, or rename",
  });
  return group.GroupId ?? "";
}

/** Sends one authorisation in the rule's direction (the two calls have their own input types). */
async function sendAuthorize(
  ctx: AwsContext,
  direction: Direction,
  GroupId: string,
  permission: IpPermission,
) {
  const IpPermissions = [permission];
  if (direction === "ingress")
    await ctx.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions }));
  else await ctx.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions }));
}

async function sendRevoke(ctx: AwsContext, direction: Direction, GroupId: string, permission: IpPermission) {
  const IpPermissions = [permission];
  if (direction === "ingress")
    await ctx.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions }));
  else await ctx.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions }));
}

async function authorize(
  ctx: AwsContext,
  groupId: string,
  direction: Direction,
  rules: Rule[],
): Promise<void> {
  // One call per rule: a duplicate (left by an interrupted run) must not block the others.
  for (const permission of rulesToPermissions(rules)) {
    await tolerate(() => sendAuthorize(ctx, direction, groupId, permission), "InvalidPermission.Duplicate");
  }
}

/** The wanted rules that exist live with another description (or none). */
export function redescribed(have: Rule[], want: Rule[]): Rule[] {
  const live = new Map(have.map((r) => [ruleKey(r), r.description ?? ""]));
  return want.filter((r) => {
    const description = live.get(ruleKey(r));
    return description !== undefined && description !== (r.description ?? "");
  });
}

/** In place: a rule revoked and authorized again would drop traffic in between. */
async function describeRules(
  ctx: AwsContext,
  GroupId: string,
  direction: Direction,
  rules: Rule[],
): Promise<void> {
  if (rules.length === 0) return;
  // An empty description is how EC2 removes one.
  const IpPermissions = rulesToPermissions(rules.map((r) => ({ ...r, description: r.description ?? "" })));
  if (direction === "ingress")
    await ctx.ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId, IpPermissions }));
  else await ctx.ec2.send(new UpdateSecurityGroupRuleDescriptionsEgressCommand({ GroupId, IpPermissions }));
}

/** A rule with a description is revoked with it (AWS matches on it): `rules` come from discovery. */
async function revoke(ctx: AwsContext, groupId: string, direction: Direction, rules: Rule[]): Promise<void> {
  for (const permission of rulesToPermissions(rules)) {
    await tolerate(() => sendRevoke(ctx, direction, groupId, permission), "InvalidPermission.NotFound");
  }
}
