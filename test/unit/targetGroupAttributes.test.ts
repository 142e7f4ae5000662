import { describe, expect, it } from "vitest";
import { sortIds } from "../../src/providers/aws/common/lists.js";
import {
  desiredHealthCheck,
  desiredStickiness,
  desiredTargets,
  normaliseMatcher,
} from "../../src/providers/aws/targetGroups/desired.js";
import { observedAttributes, registeredTargets } from "../../src/providers/aws/targetGroups/observe.js";
import { attributeUpdates } from "../../src/providers/aws/targetGroups/operations.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { Value } from "../../src/model/index.js";

const env = { environment: "unit", region: "us-west-1", tags: {}, secrets: {} };

describe("target group normalisation", () => {
  it("writes matchers the way AWS stores them", () => {
    expect(normaliseMatcher("200, 302")).toBe("200,302");
    expect(normaliseMatcher(" 200 - 299 ")).toBe("200-299");
    expect(normaliseMatcher(200)).toBe("200");
  });

  it("fills every health-check field the file leaves out with AWS's default, so each is compared", () => {
    const defaults = { path: "/", intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5 };
    expect(desiredHealthCheck({ path: "/health", intervalSeconds: 10 })).toEqual({
      ...defaults,
      path: "/health",
      intervalSeconds: 10,
      unhealthyThreshold: 2,
      matcher: "200",
    });
    expect(desiredHealthCheck({ matcher: 200, healthyThreshold: 3 })).toEqual({
      ...defaults,
      healthyThreshold: 3,
      unhealthyThreshold: 2,
      matcher: "200",
    });
    expect(desiredHealthCheck({})).toEqual({ ...defaults, unhealthyThreshold: 2, matcher: "200" });
  });

  it("asks only for stickiness to be off when it is false, and for the default duration when unset", () => {
    expect(desiredStickiness(false)).toEqual({ enabled: false });
    expect(desiredStickiness({ type: "lb_cookie", durationSeconds: 86400 })).toEqual({
      enabled: true,
      type: "lb_cookie",
      durationSeconds: 86400,
    });
    expect(desiredStickiness({ type: "lb_cookie" })).toEqual({
      enabled: true,
      type: "lb_cookie",
      durationSeconds: 86400,
    });
  });

  it("turns desired attributes into the target-group attribute keys AWS uses", () => {
    expect(
      attributeUpdates({
        stickiness: { enabled: true, type: "lb_cookie", durationSeconds: 60 },
        deregistrationDelaySeconds: 30,
      }),
    ).toEqual([
      { Key: "stickiness.enabled", Value: "true" },
      { Key: "stickiness.type", Value: "lb_cookie" },
      { Key: "stickiness.lb_cookie.duration_seconds", Value: "60" },
      { Key: "deregistration_delay.timeout_seconds", Value: "30" },
    ]);
    expect(attributeUpdates({ stickiness: { enabled: false } })).toEqual([
      { Key: "stickiness.enabled", Value: "false" },
    ]);
    expect(attributeUpdates({ name: "x" })).toEqual([]);
  });

  it("counts registered targets as a sorted set, leaving out those draining", () => {
    expect(
      registeredTargets([
        { Target: { Id: "i-b" }, TargetHealth: { State: "healthy" } },
        { Target: { Id: "i-c" }, TargetHealth: { State: "draining" } },
        { Target: { Id: "i-a" }, TargetHealth: { State: "initial" } },
        { Target: { Id: "i-a", Port: 8081 }, TargetHealth: { State: "healthy" } },
      ]),
    ).toEqual(["i-a", "i-b"]);
  });

  it("sorts ids with values not known yet last", () => {
    expect(sortIds(["i-b", { $unknown: "instances.web.id" }, "i-a"])).toEqual([
      "i-a",
      "i-b",
      { $unknown: "instances.web.id" },
    ]);
  });

  it("reads AWS's description into the shape desired produces", () => {
    const attrs = observedAttributes(
      {
        TargetGroupName: "web",
        Port: 8080,
        Protocol: "HTTP",
        VpcId: "vpc-1",
        HealthCheckPath: "/",
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: "200" },
      },
      [
        { Key: "stickiness.enabled", Value: "false" },
        { Key: "stickiness.type", Value: "lb_cookie" },
        { Key: "stickiness.lb_cookie.duration_seconds", Value: "86400" },
        { Key: "deregistration_delay.timeout_seconds", Value: "300" },
      ],
      { project: "x" },
      undefined,
    );
    expect(attrs).toEqual({
      name: "web",
      port: 8080,
      protocol: "HTTP",
      vpc: "vpc-1",
      healthCheck: {
        path: "/",
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThreshold: 5,
        unhealthyThreshold: 2,
        matcher: "200",
      },
      stickiness: { enabled: false, type: "lb_cookie", durationSeconds: 86400 },
      deregistrationDelaySeconds: 300,
      tags: { project: "x" },
    });
  });

  it("resolves targets to the ids of every member of the referenced groups", () => {
    const outputs = new Map<string, { [key: string]: Value }[]>([
      ["instances.web", [{ id: "i-2" }, { id: "i-1" }, {}]],
      ["instances.worker", [{ id: "i-0" }]],
    ]);
    const resolver = makeResolver(outputs, {}, env);
    expect(desiredTargets("instances.web", resolver)).toEqual([
      "i-1",
      "i-2",
      { $unknown: "instances.web.id" },
    ]);
    expect(desiredTargets(["instances.web", "instances.worker"], resolver)).toEqual([
      "i-0",
      "i-1",
      "i-2",
      { $unknown: "instances.web.id" },
    ]);
    expect(desiredTargets("instances.none", resolver)).toEqual([]);
  });
});
