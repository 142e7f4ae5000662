import {
  AddTagsCommand,
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import { compareAttributes } from "../../../engine/compare.js";
import type { Kind, KindProblem, Operation, Outputs, ResourceType } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import type { Attrs, Value } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { describeTags } from "../common/elbv2.js";
import { sortIds } from "../common/lists.js";
import { changedTags } from "../common/ownership.js";
import { tolerate } from "../errors.js";
import { networkFacts } from "../network.js";
import { adoptionTags, ownership, ownershipTags, toAwsTags, userTags } from "../tags.js";
import { listenerAddress, loadBalancerAttributeUpdates, observedLoadBalancer } from "./attributes.js";
import { listenerType } from "./listeners.js";
import type { ListenerSpec } from "./listeners.js";
import { LISTENER_TYPE, TYPE, loadBalancerOutputs, observeLoadBalancers } from "./observe.js";
import { loadBalancerSchema } from "./schema.js";

type Spec = {
  name: string;
  scheme?: "internet-facing" | "internal";
  subnets?: string[];
  securityGroups?: string[];
  idleTimeoutSeconds?: number;
  crossZone?: boolean;
  listeners?: Omit<ListenerSpec, "loadBalancer">[];
  tags?: Record<string, string>;
};

function spec(value: { [key: string]: Value }): Spec {
  return value as unknown as Spec;
}

function stringList(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export const loadBalancerType: ResourceType<AwsContext> = {
  type: TYPE,
  replaceOn: ["name", "scheme"],
  expectedSeconds: { create: 180, replace: 240, delete: 30 },

  risks(change) {
    if (change.action === "delete" || change.action === "replace") return ["downtime"];
    if (change.action === "create" && change.after?.scheme === "internet-facing") return ["public-exposure"];
    return [];
  },

  plannedOutputs(node) {
    return { name: spec(node.spec).name };
  },

  desired(node, resolver) {
    const s = spec(node.spec);
    const attributes: Attrs = {
      name: s.name,
      scheme: s.scheme ?? "internet-facing",
      // Unset means the environment's subnets (all of them, one per zone by default).
      subnets: sortIds(s.subnets ?? networkFacts(resolver.facts).subnets.map((subnet) => subnet.id)),
    };
    if (s.securityGroups !== undefined) {
      attributes.securityGroups = sortIds(
        s.securityGroups.map((g) => (g.startsWith("sg-") ? g : resolver.output(g, "id"))),
      );
    }
    if (s.idleTimeoutSeconds !== undefined) attributes.idleTimeoutSeconds = s.idleTimeoutSeconds;
    if (s.crossZone !== undefined) attributes.crossZone = s.crossZone;
    attributes.tags = userTags(resolver.env, s.tags);
    return { attributes };
  },

  observe: observeLoadBalancers,

  async create(ctx, op) {
    const desired = op.desired ?? {};
    const node = op.node!;
    const name = String(desired.name);
    // CreateLoadBalancer is not idempotent everywhere (an emulator makes a second one with the
    // same name), so a re-run after an interrupted apply looks for its own first.
    const existing = await findByName(ctx, name);
    let lb: LoadBalancer;
    if (existing) {
      const tags =
        (await describeTags(ctx, [existing.LoadBalancerArn ?? ""])).get(existing.LoadBalancerArn ?? "") ?? {};
      if (ownership(tags, op.env).address !== node.address) {
        throw new Error(
          `a load balancer named ${name} already exists and is not managed by this environment (rename it, or re-plan to adopt it)`,
        );
      }
      lb = existing;
      await converge(ctx, lb.LoadBalancerArn ?? "", desired, observedLoadBalancer(lb, [], tags));
    } else {
      const made = await ctx.elbv2.send(
        new CreateLoadBalancerCommand({
          Name: name,
          Type: "application",
          Scheme: String(desired.scheme) as "internet-facing" | "internal",
          Subnets: stringList(desired.subnets),
          ...(desired.securityGroups !== undefined
            ? { SecurityGroups: stringList(desired.securityGroups) }
            : {}),
          Tags: toAwsTags({
            ...(desired.tags as Record<string, string>),
            ...ownershipTags(op.env, node.address, node.protect),
          }),
        }),
      );
      lb = made.LoadBalancers?.[0] ?? {};
      await setAttributes(ctx, lb.LoadBalancerArn ?? "", desired);
    }
    if (!op.noWait) lb = await waitActive(ctx, lb.LoadBalancerArn ?? "", op);
    return loadBalancerOutputs(lb);
  },

  async update(ctx, op) {
    const observed = op.observed!;
    await converge(ctx, observed.id, op.desired ?? {}, observed.attributes);
    return observed.outputs as Outputs;
  },

  async adopt(ctx, op) {
    await ctx.elbv2.send(
      new AddTagsCommand({
        ResourceArns: [op.observed!.id],
        Tags: adoptionTags(op),
      }),
    );
    return loadBalancerType.update(ctx, op);
  },

  async delete(ctx, op) {
    const arn = op.observed?.id ?? op.change.id ?? "";
    await tolerate(
      () => ctx.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })),
      "LoadBalancerNotFound",
    );
    if (op.noWait) return;
    // Its target groups and security groups can only go once the load balancer is gone.
    await waitUntil(async () => ((await describeArn(ctx, arn)) ? undefined : true), {
      what: `load balancer ${arn} to be deleted`,
      timeoutMs: 10 * 60_000,
      intervalMs: 5000,
      signal: op.signal,
      progress: op.progress,
    });
  },
};

/** Applies whatever differs between desired and observed: subnets, security groups, attributes, tags. */
async function converge(ctx: AwsContext, arn: string, desired: Attrs, observed: Attrs): Promise<void> {
  const paths = compareAttributes(desired, observed, { replaceOn: [] }).map((a) => a.path);
  const changed = (prefix: string) => paths.some((p) => p === prefix || p.startsWith(prefix + "."));
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
  const tags = changedTags(
    desired.tags as Record<string, string>,
    (observed.tags ?? {}) as Record<string, string>,
  );
  if (Object.keys(tags).length > 0)
    await ctx.elbv2.send(new AddTagsCommand({ ResourceArns: [arn], Tags: toAwsTags(tags) }));
}

async function setAttributes(ctx: AwsContext, arn: string, desired: Attrs): Promise<void> {
  const attributes = loadBalancerAttributeUpdates(desired);
  if (attributes.length === 0) return;
  await ctx.elbv2.send(
    new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: attributes }),
  );
}

async function findByName(ctx: AwsContext, name: string): Promise<LoadBalancer | undefined> {
  const found = await tolerate(
    () => ctx.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] })),
    "LoadBalancerNotFound",
  );
  return found?.LoadBalancers?.[0];
}

async function describeArn(ctx: AwsContext, arn: string): Promise<LoadBalancer | undefined> {
  const found = await tolerate(
    () => ctx.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })),
    "LoadBalancerNotFound",
  );
  return found?.LoadBalancers?.[0];
}

async function waitActive(ctx: AwsContext, arn: string, op: Operation): Promise<LoadBalancer> {
  return waitUntil(
    async () => {
      const lb = await describeArn(ctx, arn);
      if (lb?.State?.Code === "failed")
        throw new Error(`load balancer ${arn} failed: ${lb.State.Reason ?? "no reason given"}`);
      return lb?.State?.Code === "active" ? lb : undefined;
    },
    {
      what: "load balancer active",
      timeoutMs: 15 * 60_000,
      intervalMs: 5000,
      signal: op.signal,
      progress: op.progress,
    },
  );
}

/** Checks the schema cannot express, per listener. */
export function checkListeners(listeners: Spec["listeners"]): KindProblem[] {
  const problems: KindProblem[] = [];
  const seen = new Map<number, number>();
  (listeners ?? []).forEach((l, i) => {
    const first = seen.get(l.port);
    if (first !== undefined) {
      problems.push({
        path: ["listeners", i, "port"],
        message: `duplicate listener port ${l.port} (also listeners[${first}])`,
        hint: "a load balancer has one listener per port",
      });
    } else seen.set(l.port, i);
    if ((l.forward === undefined) === (l.redirect === undefined)) {
      problems.push({
        path: ["listeners", i],
        message: "a listener needs exactly one of forward or redirect",
      });
    }
    if (l.protocol === "HTTPS" && l.certificate === undefined) {
      problems.push({
        path: ["listeners", i],
        message: "an HTTPS listener needs a certificate",
        hint: 'add certificate: { domain: "*.example.com" } or an ACM certificate ARN',
      });
    }
    if (l.protocol === "HTTP" && l.certificate !== undefined) {
      problems.push({
        path: ["listeners", i, "certificate"],
        message: "only HTTPS listeners take a certificate",
      });
    }
    if (l.protocol === "HTTP" && l.sslPolicy !== undefined) {
      problems.push({
        path: ["listeners", i, "sslPolicy"],
        message: "only HTTPS listeners take an SSL policy",
      });
    }
    if (l.redirect && l.redirect.port === l.port && l.redirect.protocol === l.protocol) {
      problems.push({
        path: ["listeners", i, "redirect"],
        message: `redirects to itself (${l.protocol}:${l.port}): browsers would loop`,
      });
    }
  });
  return problems;
}

export const loadBalancers: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: loadBalancerSchema,
  outputs: ["arn", "dnsName", "hostedZoneId", "name"],
  expand(address, value) {
    const { listeners, ...rest } = spec(value);
    // The load balancer's own node carries no listeners: it must not wait for the target groups
    // they forward to. Each listener is its own node, planned and applied on its own line.
    return [
      { address, type: TYPE, group: address, spec: rest as unknown as { [key: string]: Value } },
      ...(listeners ?? []).map((listener) => {
        const at = listenerAddress(address, listener.port);
        return {
          address: at,
          type: LISTENER_TYPE,
          group: at,
          spec: { ...listener, loadBalancer: address } as unknown as { [key: string]: Value },
          dependsOn: [address],
        };
      }),
    ];
  },
  check(_address, value) {
    return checkListeners(spec(value).listeners);
  },
  types: [loadBalancerType, listenerType],
};
