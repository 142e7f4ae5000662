import { ACMClient, RequestCertificateCommand } from "@aws-sdk/client-acm";
import {
  CreateLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Listener } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load } from "../../src/cli/workflow.js";
import { makeResolver } from "../../src/engine/resolver.js";
import { loadBalancerType } from "../../src/providers/aws/loadBalancers/index.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: lbtest
region: us-west-1
securityGroups:
  alb:
    name: lbtest-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }, { port: 443, cidr: 0.0.0.0/0 }]
targetGroups:
  web:
    name: lbtest-web
    port: 8080
    healthCheck: { path: /health }
  blue:
    name: lbtest-blue
    port: 8080
`;

function lbFile(listeners: string[]): string {
  return `${HEAD}loadBalancers:
  web:
    name: lbtest-alb
    securityGroups: [securityGroups.alb]
    idleTimeoutSeconds: 60
    crossZone: true
    listeners:
${listeners.map((l) => `      - ${l}`).join("\n")}
`;
}

const HTTP_FORWARD = "{ port: 80, protocol: HTTP, forward: targetGroups.web }";
const HTTP_REDIRECT = "{ port: 80, protocol: HTTP, redirect: { protocol: HTTPS, port: 443 } }";
const HTTPS = (domain: string, target = "web") =>
  `{ port: 443, protocol: HTTPS, certificate: { domain: "${domain}" }, forward: targetGroups.${target} }`;

function elbv2(endpoint: string): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
}

async function loadBalancersNamed(endpoint: string, name: string) {
  const found = await elbv2(endpoint).send(new DescribeLoadBalancersCommand({}));
  return (found.LoadBalancers ?? []).filter((lb) => lb.LoadBalancerName === name);
}

async function listenersOf(endpoint: string, arn: string): Promise<Map<number, Listener>> {
  const found = await elbv2(endpoint).send(new DescribeListenersCommand({ LoadBalancerArn: arn }));
  return new Map((found.Listeners ?? []).map((l) => [l.Port ?? 0, l]));
}

async function targetGroupArn(endpoint: string, name: string): Promise<string> {
  const found = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({ Names: [name] }));
  return found.TargetGroups?.[0]?.TargetGroupArn ?? "";
}

async function requestCertificate(endpoint: string, domain: string): Promise<string> {
  const made = await new ACMClient({ region: "us-west-1", endpoint }).send(
    new RequestCertificateCommand({ DomainName: domain, ValidationMethod: "DNS" }),
  );
  return made.CertificateArn ?? "";
}

async function noChanges(file: string, endpoint: string): Promise<string[]> {
  const session = await planFile(file, endpoint);
  session.ctx.destroy();
  return actions(session.plan);
}

describe("loadBalancers against moto", () => {
  it("creates, re-plans clean, reverts an out-of-band idle timeout, and deletes", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(lbFile([HTTP_FORWARD]));

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual([
      "create securityGroups.alb",
      "create targetGroups.web",
      "create targetGroups.blue",
      "create loadBalancers.web",
      "create loadBalancers.web.listeners[80]",
    ]);
    expect(change(first.plan, "loadBalancers.web").risks).toEqual(["public-exposure"]);
    expect(change(first.plan, "loadBalancers.web").expectedSeconds).toBe(180);
    expect(change(first.plan, "loadBalancers.web.listeners[80]").dependsOn).toEqual([
      "loadBalancers.web",
      "targetGroups.web",
    ]);
    first.ctx.destroy();
    await applyFile(file, endpoint);

    const [lb, ...others] = await loadBalancersNamed(endpoint, "lbtest-alb");
    expect(others).toEqual([]);
    const subnets = await new EC2Client({ region: "us-west-1", endpoint }).send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
    );
    expect(lb?.AvailabilityZones?.map((z) => z.SubnetId).sort()).toEqual(
      subnets.Subnets?.map((s) => s.SubnetId).sort(),
    );
    const attributes = await elbv2(endpoint).send(
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb?.LoadBalancerArn }),
    );
    expect(Object.fromEntries((attributes.Attributes ?? []).map((a) => [a.Key, a.Value]))).toMatchObject({
      "idle_timeout.timeout_seconds": "60",
      "load_balancing.cross_zone.enabled": "true",
    });
    const listeners = await listenersOf(endpoint, lb?.LoadBalancerArn ?? "");
    expect([...listeners.keys()]).toEqual([80]);
    expect(listeners.get(80)?.DefaultActions?.[0]?.TargetGroupArn).toBe(
      await targetGroupArn(endpoint, "lbtest-web"),
    );
    const tags = await elbv2(endpoint).send(
      new DescribeTagsCommand({ ResourceArns: [lb?.LoadBalancerArn ?? ""] }),
    );
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual(
      expect.arrayContaining([{ Key: "parity:address", Value: "loadBalancers.web" }]),
    );

    // The HTTP listener's SSL policy and AWS's other defaults are not in the file: no changes.
    expect(await noChanges(file, endpoint)).toEqual([]);

    await elbv2(endpoint).send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lb?.LoadBalancerArn,
        Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "120" }],
      }),
    );
    const drift = await planFile(file, endpoint);
    expect(actions(drift.plan)).toEqual(["update loadBalancers.web"]);
    expect(change(drift.plan, "loadBalancers.web").attributes).toEqual([
      { path: "idleTimeoutSeconds", before: 120, after: 60, forcesReplacement: false, sensitive: false },
    ]);
    drift.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await noChanges(file, endpoint)).toEqual([]);

    writeFileSync(file, HEAD);
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual([
      "delete loadBalancers.web.listeners[80]",
      "delete loadBalancers.web",
    ]);
    expect(change(removal.plan, "loadBalancers.web").risks).toEqual(["downtime"]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await loadBalancersNamed(endpoint, "lbtest-alb")).toEqual([]);
    expect(await noChanges(file, endpoint)).toEqual([]);
  });

  it("adds an HTTPS listener with an ACM certificate, switches its target and certificate, redirects HTTP, and removes it", async () => {
    const endpoint = emulator().endpoint;
    const certificate = await requestCertificate(endpoint, "*.lbtest.example");
    const file = writeEnvironment(lbFile([HTTP_FORWARD]));
    await applyFile(file, endpoint);
    const [lb] = await loadBalancersNamed(endpoint, "lbtest-alb");

    writeFileSync(file, lbFile([HTTP_FORWARD, HTTPS("*.lbtest.example")]));
    const add = await planFile(file, endpoint);
    expect(actions(add.plan)).toEqual(["create loadBalancers.web.listeners[443]"]);
    expect(change(add.plan, "loadBalancers.web.listeners[443]").after).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      certificate,
      forward: await targetGroupArn(endpoint, "lbtest-web"),
      redirect: null,
    });
    add.ctx.destroy();
    await applyFile(file, endpoint);
    const https = (await listenersOf(endpoint, lb?.LoadBalancerArn ?? "")).get(443);
    expect(https?.Certificates?.[0]?.CertificateArn).toBe(certificate);
    expect(await noChanges(file, endpoint)).toEqual([]);

    writeFileSync(file, lbFile([HTTP_FORWARD, HTTPS("*.lbtest.example", "blue")]));
    const switched = await planFile(file, endpoint);
    expect(actions(switched.plan)).toEqual(["update loadBalancers.web.listeners[443]"]);
    expect(
      change(switched.plan, "loadBalancers.web.listeners[443]").attributes.map((a) => [
        a.path,
        a.before,
        a.after,
      ]),
    ).toEqual([
      [
        "forward",
        await targetGroupArn(endpoint, "lbtest-web"),
        await targetGroupArn(endpoint, "lbtest-blue"),
      ],
    ]);
    switched.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await noChanges(file, endpoint)).toEqual([]);

    // A redirect round-trips: AWS fills in host, path, query and the status code, which never show as changes.
    writeFileSync(file, lbFile([HTTP_REDIRECT, HTTPS("*.lbtest.example", "blue")]));
    const redirect = await planFile(file, endpoint);
    expect(actions(redirect.plan)).toEqual(["update loadBalancers.web.listeners[80]"]);
    expect(change(redirect.plan, "loadBalancers.web.listeners[80]").attributes.map((a) => a.path)).toEqual([
      "forward",
      "redirect",
    ]);
    redirect.ctx.destroy();
    await applyFile(file, endpoint);
    const http = (await listenersOf(endpoint, lb?.LoadBalancerArn ?? "")).get(80);
    expect(http?.DefaultActions?.[0]).toMatchObject({
      Type: "redirect",
      RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" },
    });
    expect(await noChanges(file, endpoint)).toEqual([]);

    // A new certificate (another domain) is swapped in place.
    const renewed = await requestCertificate(endpoint, "*.lbtest2.example");
    writeFileSync(file, lbFile([HTTP_REDIRECT, HTTPS("*.lbtest2.example", "blue")]));
    const swap = await planFile(file, endpoint);
    expect(actions(swap.plan)).toEqual(["update loadBalancers.web.listeners[443]"]);
    expect(
      change(swap.plan, "loadBalancers.web.listeners[443]").attributes.map((a) => [
        a.path,
        a.before,
        a.after,
      ]),
    ).toEqual([["certificate", certificate, renewed]]);
    swap.ctx.destroy();
    await applyFile(file, endpoint);
    const swapped = (await listenersOf(endpoint, lb?.LoadBalancerArn ?? "")).get(443);
    expect(swapped?.Certificates?.[0]?.CertificateArn).toBe(renewed);
    expect(await noChanges(file, endpoint)).toEqual([]);

    writeFileSync(file, lbFile([HTTP_REDIRECT]));
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual(["delete loadBalancers.web.listeners[443]"]);
    expect(change(removal.plan, "loadBalancers.web.listeners[443]").risks).toEqual(["downtime"]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    expect([...(await listenersOf(endpoint, lb?.LoadBalancerArn ?? "")).keys()]).toEqual([80]);
    expect(await noChanges(file, endpoint)).toEqual([]);
  });

  it("refuses to plan an HTTPS listener whose certificate is not issued in the region", async () => {
    const endpoint = emulator().endpoint;
    // A certificate for another name, and one for the right name in another region: neither counts.
    await requestCertificate(endpoint, "*.other.example");
    await new ACMClient({ region: "us-east-1", endpoint }).send(
      new RequestCertificateCommand({ DomainName: "*.khorium.ai", ValidationMethod: "DNS" }),
    );
    const file = writeEnvironment(lbFile([HTTP_FORWARD, HTTPS("*.khorium.ai")]));
    await expect(planFile(file, endpoint)).rejects.toThrow(
      "loadBalancers.web.listeners[443]: no ISSUED ACM certificate for *.khorium.ai in us-west-1",
    );
  });

  it("adopts an untagged load balancer with the same name instead of making a second one", async () => {
    const endpoint = emulator().endpoint;
    const subnets = await new EC2Client({ region: "us-west-1", endpoint }).send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
    );
    const made = await elbv2(endpoint).send(
      new CreateLoadBalancerCommand({
        Name: "lbtest-alb",
        Subnets: subnets.Subnets?.map((s) => s.SubnetId ?? ""),
      }),
    );
    const arn = made.LoadBalancers?.[0]?.LoadBalancerArn;
    const file = writeEnvironment(lbFile([HTTP_FORWARD]));

    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toContain("adopt loadBalancers.web");
    expect(change(plan.plan, "loadBalancers.web").id).toBe(arn);
    expect(
      change(plan.plan, "loadBalancers.web")
        .attributes.map((a) => a.path)
        .sort(),
      // An idle timeout AWS has never been told is its default, 60: the same as the file's.
    ).toEqual(["crossZone", "securityGroups"]);
    plan.ctx.destroy();
    await applyFile(file, endpoint);

    const all = await loadBalancersNamed(endpoint, "lbtest-alb");
    expect(all.map((lb) => lb.LoadBalancerArn)).toEqual([arn]);
    const tags = await elbv2(endpoint).send(new DescribeTagsCommand({ ResourceArns: [arn ?? ""] }));
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual(
      expect.arrayContaining([{ Key: "parity:environment", Value: "lbtest" }]),
    );
    expect(await noChanges(file, endpoint)).toEqual([]);
  });

  it("deletes a target group only once the listener that used it has moved to another", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(lbFile([HTTP_FORWARD]));
    await applyFile(file, endpoint);
    const [lb] = await loadBalancersNamed(endpoint, "lbtest-alb");

    const withoutWeb = lbFile(["{ port: 80, protocol: HTTP, forward: targetGroups.blue }"]).replace(
      "  web:\n    name: lbtest-web\n    port: 8080\n    healthCheck: { path: /health }\n",
      "",
    );
    writeFileSync(file, withoutWeb);
    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual(["update loadBalancers.web.listeners[80]", "delete targetGroups.web"]);
    plan.ctx.destroy();
    await applyFile(file, endpoint);
    const http = (await listenersOf(endpoint, lb?.LoadBalancerArn ?? "")).get(80);
    expect(http?.DefaultActions?.[0]?.TargetGroupArn).toBe(await targetGroupArn(endpoint, "lbtest-blue"));
    const groups = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({}));
    expect(groups.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(["lbtest-blue"]);
    expect(await noChanges(file, endpoint)).toEqual([]);
  });

  it("replaces a target group in use only under a new name, moving its listeners over", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(lbFile([HTTP_FORWARD]));
    await applyFile(file, endpoint);
    const [lb] = await loadBalancersNamed(endpoint, "lbtest-alb");
    const oldArn = await targetGroupArn(endpoint, "lbtest-web");

    // Same name: AWS cannot hold two, and cannot delete one a listener uses. Apply says how to proceed.
    writeFileSync(
      file,
      lbFile([HTTP_FORWARD]).replace("port: 8080\n    healthCheck", "port: 9090\n    healthCheck"),
    );
    await expect(applyFile(file, endpoint)).rejects.toThrow(
      /lbtest-web is used by a listener.*give it a new name/,
    );
    expect(await targetGroupArn(endpoint, "lbtest-web")).toBe(oldArn);

    writeFileSync(
      file,
      lbFile([HTTP_FORWARD]).replace(
        "name: lbtest-web\n    port: 8080",
        "name: lbtest-web-v2\n    port: 9090",
      ),
    );
    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual([
      "replace targetGroups.web",
      "update loadBalancers.web.listeners[80]",
    ]);
    expect(change(plan.plan, "targetGroups.web").reason).toBe("name, port changed");
    plan.ctx.destroy();
    await applyFile(file, endpoint);
    const newArn = await targetGroupArn(endpoint, "lbtest-web-v2");
    expect(
      (await listenersOf(endpoint, lb?.LoadBalancerArn ?? "")).get(80)?.DefaultActions?.[0]?.TargetGroupArn,
    ).toBe(newArn);
    const groups = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({}));
    expect(groups.TargetGroups?.map((g) => g.TargetGroupName).sort()).toEqual([
      "lbtest-blue",
      "lbtest-web-v2",
    ]);
    expect(await noChanges(file, endpoint)).toEqual([]);
  });

  it("replaces the load balancer and its listeners when its name changes", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(lbFile([HTTP_FORWARD]));
    await applyFile(file, endpoint);
    const [old] = await loadBalancersNamed(endpoint, "lbtest-alb");

    writeFileSync(
      file,
      lbFile([HTTP_FORWARD]).replace(
        "name: lbtest-alb\n    securityGroups",
        "name: lbtest-alb2\n    securityGroups",
      ),
    );
    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual([
      "replace loadBalancers.web",
      "replace loadBalancers.web.listeners[80]",
    ]);
    expect(change(plan.plan, "loadBalancers.web").risks).toEqual(["downtime"]);
    expect(change(plan.plan, "loadBalancers.web.listeners[80]").reason).toBe("loadBalancer changed");
    plan.ctx.destroy();
    await applyFile(file, endpoint);

    expect(await loadBalancersNamed(endpoint, "lbtest-alb")).toEqual([]);
    const [lb] = await loadBalancersNamed(endpoint, "lbtest-alb2");
    expect(lb?.LoadBalancerArn).not.toBe(old?.LoadBalancerArn);
    expect([...(await listenersOf(endpoint, lb?.LoadBalancerArn ?? "")).keys()]).toEqual([80]);
    expect(await noChanges(file, endpoint)).toEqual([]);
  });

  it("finds its own load balancer when create runs again after an interrupted apply", async () => {
    const endpoint = emulator().endpoint;
    const session = await planFile(
      writeEnvironment(`${HEAD}loadBalancers:\n  web: { name: lbtest-alb, idleTimeoutSeconds: 60 }\n`),
      endpoint,
    );
    try {
      const planned = change(session.plan, "loadBalancers.web");
      const op = {
        change: planned,
        node: session.environment.nodes.find((n) => n.address === "loadBalancers.web"),
        desired: session.desired.get("loadBalancers.web")?.attributes ?? {},
        env: session.info,
        facts: session.facts,
        resolver: makeResolver(new Map(), session.facts, session.info),
        progress: () => {},
        signal: new AbortController().signal,
      };
      const first = await loadBalancerType.create(session.ctx, op);
      // CreateLoadBalancer would happily make a second one with the same name here.
      const second = await loadBalancerType.create(session.ctx, op);
      expect(second).toEqual(first);
      expect((await loadBalancersNamed(endpoint, "lbtest-alb")).map((lb) => lb.LoadBalancerArn)).toEqual([
        first.arn,
      ]);
    } finally {
      session.ctx.destroy();
    }
  });

  it("never adopts another environment's load balancer: the plan names the owner, once", async () => {
    const endpoint = emulator().endpoint;
    await applyFile(writeEnvironment(lbFile([HTTP_FORWARD])), endpoint);
    const other = writeEnvironment(
      lbFile([HTTP_FORWARD]).replace("environment: lbtest", "environment: othertest"),
    );
    // Its listeners are the load balancer's: the refusal is not repeated for each of them.
    const refused = String(await planFile(other, endpoint).catch((error: unknown) => error));
    expect(refused.split("\n").filter((line) => line.startsWith("loadBalancers."))).toEqual([
      'loadBalancers.web: load balancer lbtest-alb belongs to the parity environment "lbtest" in us-west-1',
    ]);
  });

  it("reports listener mistakes with their position before planning", () => {
    const file = writeEnvironment(
      lbFile([
        "{ port: 443, protocol: HTTPS, forward: targetGroups.web }",
        "{ port: 443, protocol: HTTP, forward: targetGroups.web, redirect: { protocol: HTTPS, port: 443 } }",
      ]),
    );
    const { loaded, diagnostics } = load(file);
    expect(loaded).toBeUndefined();
    expect(diagnostics.map((d) => `${d.location?.line}: ${d.path} ${d.message}`)).toEqual([
      "23: loadBalancers.web.listeners[0] an HTTPS listener needs a certificate",
      "24: loadBalancers.web.listeners[1] a listener needs exactly one of forward or redirect",
      "24: loadBalancers.web.listeners[1].port duplicate listener port 443 (also listeners[0])",
    ]);
  });
});
