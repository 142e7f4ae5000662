import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  paginateDescribeSecurityGroups,
} from "@aws-sdk/client-ec2";
import type { IpPermission, SecurityGroup } from "@aws-sdk/client-ec2";
import { oneNode } from "../../../engine/kinds.js";
import type { Kind, Operation, Outputs, ResourceType } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { networkFacts } from "../network.js";
import {
  adoptionTags,
  fromAwsTags,
  ownedElsewhere,
  ownership,
  ownershipTags,
  TAG_ENVIRONMENT,
  toAwsTags,
} from "../tags.js";
import { ruleKey, rulesFromPermissions, rulesToPermissions, sortRules } from "./rules.js";
import type { Rule } from "./rules.js";
import { securityGroupSchema } from "./schema.js";

const TYPE = "securityGroups";

type IngressSpec = {
  port: number;
  toPort?: number;
  protocol?: string;
  cidr?: string;
  source?: string;
  description?: string;
};
type Spec = {
  name: string;
  description?: string;
  vpc?: string;
  ingress?: IngressSpec[];
  tags?: Record<string, string>;
};

function spec(value: { [key: string]: Value }): Spec {
  return value as unknown as Spec;
}

function observeGroup(group: SecurityGroup, env: Operation["env"]): ObservedNode {
  const tags = fromAwsTags(group.Tags);
  const owner = ownership(tags, env);
  const rules = rulesFromPermissions(group.IpPermissions ?? []);
  return {
    type: TYPE,
    ...(owner.address ? { address: owner.address } : {}),
    id: group.GroupId ?? "",
    managed: owner.managed,
    protect: owner.protect,
    attributes: {
      name: group.GroupName ?? "",
      description: group.Description ?? "",
      vpcId: group.VpcId ?? "",
      ingress: sortRules(rules.map(({ description: _d, ...rule }) => rule)),
      tags,
    },
    outputs: { id: group.GroupId ?? "", name: group.GroupName ?? "" },
    details: { rules: rules as unknown as Value },
  };
}

export const securityGroupType: ResourceType<AwsContext> = {
  type: TYPE,
  replaceOn: ["name", "vpcId", "description"],
  risks(change) {
    const opens = change.attributes.some(
      (a) =>
        a.path === "ingress" &&
        JSON.stringify(a.after ?? "").includes('"0.0.0.0/0"') &&
        !JSON.stringify(a.before ?? "").includes('"0.0.0.0/0"'),
    );
    const created = change.action === "create" && JSON.stringify(change.after ?? "").includes('"0.0.0.0/0"');
    return opens || created ? ["public-exposure"] : [];
  },

  plannedOutputs(node) {
    return { name: spec(node.spec).name };
  },

  desired(node, resolver, observed) {
    const s = spec(node.spec);
    const ownedBy = observed?.details?.ownedBy;
    const ingress = (s.ingress ?? []).map((r): Rule => {
      const rule: Rule = {
        protocol: normaliseProtocol(r.protocol ?? "tcp"),
        fromPort: r.port,
        toPort: r.toPort ?? r.port,
      };
      if (r.cidr) rule.cidr = normaliseCidr(r.cidr);
      if (r.source) rule.source = resolver.output(r.source, "id");
      return rule;
    });
    return {
      attributes: {
        name: s.name,
        ...(s.description !== undefined ? { description: s.description } : {}),
        vpcId: s.vpc ?? networkFacts(resolver.facts).vpcId,
        ingress: sortRules(ingress),
        tags: { ...resolver.env.tags, ...(s.tags ?? {}) },
      },
      ...(ownedBy !== undefined
        ? {
            errors: [
              {
                message: `security group ${s.name} belongs to parity environment "${String(ownedBy)}"`,
                hint: "give this environment's group its own name",
              },
            ],
          }
        : {}),
    };
  },

  async observe(ctx, nodes, env) {
    const wanted = new Map(nodes.map((n) => [spec(n.spec).name, n.address]));
    const found: ObservedNode[] = [];
    for await (const page of paginateDescribeSecurityGroups({ client: ctx.ec2 }, {})) {
      for (const group of page.SecurityGroups ?? []) {
        const tags = fromAwsTags(group.Tags);
        const observed = observeGroup(group, env);
        if (observed.managed) found.push(observed);
        else if (group.GroupName && wanted.has(group.GroupName)) {
          const address = wanted.get(group.GroupName) as string;
          // Another environment's group is never adopted; desired() turns this into a plan error.
          const ownedBy: { [key: string]: Value } = ownedElsewhere(tags, env)
            ? { ownedBy: tags[TAG_ENVIRONMENT] ?? "" }
            : {};
          found.push({ ...observed, address, details: { ...observed.details, ...ownedBy } });
        }
      }
    }
    return found;
  },

  async create(ctx, op) {
    const desired = op.desired ?? {};
    const node = op.node!;
    const name = String(desired.name);
    let groupId: string;
    try {
      const made = await ctx.ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: name,
          Description: String(desired.description ?? `${name} (managed by parity)`),
          VpcId: String(desired.vpcId),
          TagSpecifications: [
            {
              ResourceType: "security-group",
              Tags: toAwsTags({
                ...(desired.tags as Record<string, string>),
                ...ownershipTags(op.env, node.address, node.protect),
              }),
            },
          ],
        }),
      );
      groupId = made.GroupId ?? "";
    } catch (error) {
      // A re-run after an interrupted apply: the group exists with our tags already.
      if (!isAwsError(error, "InvalidGroup.Duplicate")) throw error;
      groupId = await findOwnGroup(ctx, name, String(desired.vpcId), op);
    }
    await authorize(ctx, groupId, desired.ingress as unknown as Rule[]);
    return { id: groupId, name };
  },

  async update(ctx, op) {
    const observed = op.observed!;
    const desired = op.desired ?? {};
    const have = (observed.details?.rules ?? []) as unknown as Rule[];
    const want = desired.ingress as unknown as Rule[];
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
    await tagDifference(ctx, observed, desired.tags as Record<string, string>);
    return observed.outputs as Outputs;
  },

  async adopt(ctx, op) {
    await ctx.ec2.send(
      new CreateTagsCommand({
        Resources: [op.observed!.id],
        Tags: adoptionTags(op),
      }),
    );
    return securityGroupType.update(ctx, op);
  },

  async delete(ctx, op) {
    const id = op.observed?.id ?? op.change.id ?? "";
    // Instances being terminated still hold the group for a while: AWS says DependencyViolation.
    await waitUntil(
      async () => {
        try {
          await tolerate(
            () => ctx.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })),
            "InvalidGroup.NotFound",
          );
          return true;
        } catch (error) {
          if (isAwsError(error, "DependencyViolation")) return undefined;
          throw error;
        }
      },
      {
        what: `security group ${id} to be released`,
        timeoutMs: 10 * 60_000,
        intervalMs: 5000,
        signal: op.signal,
        progress: op.progress,
      },
    );
  },
};

async function findOwnGroup(ctx: AwsContext, name: string, vpcId: string, op: Operation): Promise<string> {
  const found = await ctx.ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: "group-name", Values: [name] },
        { Name: "vpc-id", Values: [vpcId] },
      ],
    }),
  );
  const group = found.SecurityGroups?.[0];
  const owner = ownership(fromAwsTags(group?.Tags), op.env);
  if (!group?.GroupId || owner.address !== op.change.address) {
    throw new Error(
      `a security group named ${name} already exists and is not managed by this environment (adopt it by removing and re-planning, or rename)`,
    );
  }
  return group.GroupId;
}

async function authorize(ctx: AwsContext, groupId: string, rules: Rule[]): Promise<void> {
  if (rules.length === 0) return;
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

async function revoke(ctx: AwsContext, groupId: string, rules: Rule[]): Promise<void> {
  for (const permission of rulesToPermissions(rules)) {
    await tolerate(
      () =>
        ctx.ec2.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: groupId,
            IpPermissions: [permission as IpPermission],
          }),
        ),
      "InvalidPermission.NotFound",
    );
  }
}

async function tagDifference(
  ctx: AwsContext,
  observed: ObservedNode,
  want: Record<string, string>,
): Promise<void> {
  const have = (observed.attributes.tags ?? {}) as Record<string, string>;
  const changed = Object.entries(want).filter(([k, v]) => have[k] !== v);
  if (changed.length === 0) return;
  await ctx.ec2.send(
    new CreateTagsCommand({ Resources: [observed.id], Tags: toAwsTags(Object.fromEntries(changed)) }),
  );
}

function normaliseProtocol(protocol: string): string {
  const p = protocol.toLowerCase();
  return p === "-1" || p === "all" ? "all" : p;
}

function normaliseCidr(cidr: string): string {
  return cidr.includes("/") ? cidr : `${cidr}/32`;
}

export const securityGroups: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: securityGroupSchema,
  outputs: ["id", "name"],
  expand: oneNode(TYPE),
  types: [securityGroupType],
};
