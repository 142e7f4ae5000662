import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from "@aws-sdk/client-ec2";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { Attrs } from "../../../model/index.js";
import { containsUnknown } from "../../../model/index.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import { ec2Tagger } from "../common/ec2.js";
import { creationTags, fromAwsTags, toAwsTags } from "../common/ownership.js";
import { resumeOwn } from "../common/rerun.js";
import { deleteWhenReleased } from "../common/waiting.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { ruleKey, rulesOf, rulesToPermissions, sortRules } from "./rules.js";
import { defaultDescription } from "./schema.js";
import type { Rule } from "./rules.js";

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
  await authorize(ctx, groupId, rulesOf(desired.ingress));
  return { id: groupId, name };
}

export async function updateGroup(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  const have = rulesOf(observed.details?.rules);
  const want = rulesOf(op.desired?.ingress);
  const wantKeys = new Set(want.map(ruleKey));
  const haveKeys = new Set(have.map(ruleKey));
  await revoke(
    ctx,
    observed.id,
    have.filter((r) => !wantKeys.has(ruleKey(r))),
  );
  await authorize(
    ctx,
    observed.id,
    want.filter((r) => !haveKeys.has(ruleKey(r))),
  );
  await describeRules(ctx, observed.id, redescribed(have, want));
  await syncTags(ctx, ec2Tagger, op);
  return observed.outputs;
}

export const adoptGroup = claimThenUpdate(ec2Tagger, updateGroup);

/** A rule may name a group that did not exist yet (or this one): the first step left those out. */
export function withoutUnknownRules(attrs: Attrs): Attrs {
  return {
    ...attrs,
    ingress: sortRules(rulesOf(attrs.ingress).filter((r) => !containsUnknown(r.source ?? null))),
  };
}

/** The second step: every rule, now that the groups they name exist (duplicates are tolerated). */
export async function authorizeLater(ctx: AwsContext, op: Operation, outputs: Outputs): Promise<void> {
  await authorize(ctx, String(outputs.id), rulesOf(op.desired?.ingress));
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

async function authorize(ctx: AwsContext, groupId: string, rules: Rule[]): Promise<void> {
  // One call per rule: a duplicate (left by an interrupted run) must not block the others.
  for (const permission of rulesToPermissions(rules)) {
    await tolerate(
      () =>
        ctx.ec2.send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }),
        ),
      "InvalidPermission.Duplicate",
    );
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
async function describeRules(ctx: AwsContext, groupId: string, rules: Rule[]): Promise<void> {
  if (rules.length === 0) return;
  // An empty description is how EC2 removes one.
  const permissions = rulesToPermissions(rules.map((r) => ({ ...r, description: r.description ?? "" })));
  await ctx.ec2.send(
    new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId: groupId, IpPermissions: permissions }),
  );
}

async function revoke(ctx: AwsContext, groupId: string, rules: Rule[]): Promise<void> {
  for (const permission of rulesToPermissions(rules)) {
    await tolerate(
      () =>
        ctx.ec2.send(
          new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }),
        ),
      "InvalidPermission.NotFound",
    );
  }
}
