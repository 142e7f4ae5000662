import { describe, expect, it } from "vitest";
import { loadBalancers } from "../../src/providers/aws/loadBalancers/index.js";
import { checkListeners } from "../../src/providers/aws/loadBalancers/listeners/checks.js";
import {
  desiredRedirect,
  normaliseStatusCode,
} from "../../src/providers/aws/loadBalancers/listeners/desired.js";
import {
  observedActions,
  observedListener,
} from "../../src/providers/aws/loadBalancers/listeners/observe.js";
import { defaultActions } from "../../src/providers/aws/loadBalancers/listeners/operations.js";
import { observedLoadBalancer } from "../../src/providers/aws/loadBalancers/observe.js";
import { loadBalancerAttributeUpdates } from "../../src/providers/aws/loadBalancers/operations.js";

const env = { environment: "unit", region: "us-west-1", tags: {}, secrets: {} };

describe("load balancer normalisation", () => {
  it("reads subnets and security groups as sorted sets, and an attribute AWS leaves out as its default", () => {
    expect(
      observedLoadBalancer(
        {
          LoadBalancerName: "web",
          AvailabilityZones: [{ SubnetId: "subnet-b" }, { SubnetId: "subnet-a" }],
          SecurityGroups: ["sg-2", "sg-1"],
        },
        [{ Key: "load_balancing.cross_zone.enabled", Value: "false" }],
        {},
      ),
    ).toEqual({
      name: "web",
      scheme: "internet-facing",
      subnets: ["subnet-a", "subnet-b"],
      securityGroups: ["sg-1", "sg-2"],
      idleTimeoutSeconds: 60,
      crossZone: false,
      tags: {},
    });
  });

  it("sets only the attributes the file names", () => {
    expect(loadBalancerAttributeUpdates({ idleTimeoutSeconds: 60, crossZone: true })).toEqual([
      { Key: "idle_timeout.timeout_seconds", Value: "60" },
      { Key: "load_balancing.cross_zone.enabled", Value: "true" },
    ]);
    expect(loadBalancerAttributeUpdates({ name: "web" })).toEqual([]);
  });
});

describe("listener normalisation", () => {
  it("spells status codes the way AWS does", () => {
    expect(normaliseStatusCode(301)).toBe("HTTP_301");
    expect(normaliseStatusCode("302")).toBe("HTTP_302");
    expect(normaliseStatusCode("http_301")).toBe("HTTP_301");
  });

  it("compares the redirect fields parity manages, the status code defaulting to a 301", () => {
    expect(desiredRedirect({ protocol: "https", port: 443 })).toEqual({
      protocol: "HTTPS",
      port: "443",
      statusCode: "HTTP_301",
    });
    expect(desiredRedirect({ protocol: "HTTPS", port: 443, statusCode: 302 })).toEqual({
      protocol: "HTTPS",
      port: "443",
      statusCode: "HTTP_302",
    });
  });

  it("reads forward actions in either of AWS's spellings, and redirects with AWS's fill-ins", () => {
    expect(observedActions([{ Type: "forward", TargetGroupArn: "arn:tg/a" }])).toEqual({
      forward: "arn:tg/a",
      redirect: null,
    });
    expect(
      observedActions([
        { Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: "arn:tg/a", Weight: 1 }] } },
      ]),
    ).toEqual({ forward: "arn:tg/a", redirect: null });
    expect(
      observedActions([
        {
          Type: "forward",
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: "arn:tg/b" }, { TargetGroupArn: "arn:tg/a" }] },
        },
      ]),
    ).toEqual({ forward: ["arn:tg/a", "arn:tg/b"], redirect: null });
    expect(
      observedActions([
        {
          Type: "redirect",
          RedirectConfig: {
            Protocol: "HTTPS",
            Port: "443",
            StatusCode: "HTTP_301",
            Host: "#{host}",
            Path: "/#{path}",
            Query: "#{query}",
          },
        },
      ]),
    ).toEqual({
      forward: null,
      redirect: {
        protocol: "HTTPS",
        port: "443",
        statusCode: "HTTP_301",
        host: "#{host}",
        path: "/#{path}",
        query: "#{query}",
      },
    });
    expect(observedActions([{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }])).toEqual(
      { forward: null, redirect: null },
    );
  });

  it("takes the default certificate and keeps the SSL policy for display only", () => {
    expect(
      observedListener({
        LoadBalancerArn: "arn:lb",
        Port: 443,
        Protocol: "HTTPS",
        Certificates: [{ CertificateArn: "arn:cert" }],
        SslPolicy: "ELBSecurityPolicy-2016-08",
        DefaultActions: [{ Type: "forward", TargetGroupArn: "arn:tg" }],
      }),
    ).toEqual({
      loadBalancer: "arn:lb",
      port: 443,
      protocol: "HTTPS",
      certificate: "arn:cert",
      forward: "arn:tg",
      redirect: null,
      sslPolicy: "ELBSecurityPolicy-2016-08",
    });
  });

  it("builds default actions, keeping AWS's status code when the file leaves it open", () => {
    expect(defaultActions({ forward: "arn:tg", redirect: null })).toEqual([
      { Type: "forward", TargetGroupArn: "arn:tg" },
    ]);
    expect(
      defaultActions({ forward: null, redirect: { protocol: "HTTPS", port: "443" } }, "HTTP_302"),
    ).toEqual([
      { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_302" } },
    ]);
    expect(
      defaultActions({ forward: null, redirect: { protocol: "HTTPS", port: "443" } })[0]?.RedirectConfig
        ?.StatusCode,
    ).toBe("HTTP_301");
  });
});

describe("loadBalancers kind", () => {
  it("expands listeners into nodes of their own, keyed by port, depending on the load balancer", () => {
    const nodes = loadBalancers.expand(
      "loadBalancers.web",
      {
        name: "web",
        listeners: [
          { port: 80, protocol: "HTTP", redirect: { protocol: "HTTPS", port: 443 } },
          { port: 443, protocol: "HTTPS", certificate: "arn:aws:acm:x", forward: "targetGroups.web" },
        ],
      },
      env,
    );
    expect(nodes.map((n) => [n.address, n.type, n.group, n.dependsOn ?? []])).toEqual([
      ["loadBalancers.web", "loadBalancers", "loadBalancers.web", []],
      [
        "loadBalancers.web.listeners[80]",
        "listeners",
        "loadBalancers.web.listeners[80]",
        ["loadBalancers.web"],
      ],
      [
        "loadBalancers.web.listeners[443]",
        "listeners",
        "loadBalancers.web.listeners[443]",
        ["loadBalancers.web"],
      ],
    ]);
    expect(nodes[0]?.spec).toEqual({ name: "web" });
    expect(nodes[2]?.spec).toMatchObject({ loadBalancer: "loadBalancers.web", forward: "targetGroups.web" });
  });

  it("checks what the schema cannot: unique ports, certificates, one action, no self-redirect", () => {
    expect(
      checkListeners([
        { port: 80, protocol: "HTTP", forward: "targetGroups.web" },
        { port: 80, protocol: "HTTP", redirect: { protocol: "HTTP", port: 80 } },
        { port: 443, protocol: "HTTPS" },
        {
          port: 8443,
          protocol: "HTTP",
          certificate: { domain: "x" },
          sslPolicy: "p",
          forward: "targetGroups.web",
        },
      ]).map((p) => `${p.path.join(".")}: ${p.message}`),
    ).toEqual([
      "listeners.1.port: duplicate listener port 80 (also listeners[0])",
      "listeners.1.redirect: redirects to itself (HTTP:80): browsers would loop",
      "listeners.2: a listener needs exactly one of forward or redirect",
      "listeners.2: an HTTPS listener needs a certificate",
      "listeners.3.certificate: only HTTPS listeners take a certificate",
      "listeners.3.sslPolicy: only HTTPS listeners take an SSL policy",
    ]);
    expect(
      checkListeners([
        { port: 443, protocol: "HTTPS", certificate: { domain: "*.x" }, forward: "targetGroups.web" },
      ]),
    ).toEqual([]);
  });
});
