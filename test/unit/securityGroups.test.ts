import { describe, expect, it } from "vitest";
import { makeResolver } from "../../src/engine/resolver.js";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import type { DesiredNode, Value } from "../../src/model/index.js";
import { unknown } from "../../src/model/index.js";
import { securityGroupType } from "../../src/providers/aws/securityGroups/index.js";
import { observedGroup } from "../../src/providers/aws/securityGroups/observe.js";
import { withoutUnknownRules } from "../../src/providers/aws/securityGroups/operations.js";
import { changeOf } from "../support/plans.js";

const env: EnvironmentInfo = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };
const facts = { network: { vpcId: "vpc-1", subnets: [] } };

function desired(spec: { [key: string]: Value }) {
  const node: DesiredNode = {
    address: "securityGroups.alb",
    type: "securityGroups",
    group: "securityGroups.alb",
    spec: { name: "alb", ...spec },
    dependsOn: [],
    protect: false,
  };
  const resolver = makeResolver(new Map([["securityGroups.app", [{ id: "sg-app" }]]]), facts, env);
  return securityGroupType.desired(node, resolver, undefined).attributes;
}

const ALL_OUT = [{ protocol: "all", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" }];

describe("security-group egress", () => {
  it("asks for AWS's default all-outbound rule when the file says nothing", () => {
    expect(desired({}).egress).toEqual(ALL_OUT);
  });

  it("replaces the default with an explicit list, sources resolved to group ids", () => {
    expect(desired({ egress: [{ port: 8080, source: "securityGroups.app" }] }).egress).toEqual([
      { protocol: "tcp", fromPort: 8080, toPort: 8080, source: "sg-app" },
    ]);
    expect(desired({ egress: [] }).egress).toEqual([]);
  });

  it("plans a protocol-all rule with AWS's -1 ports, so it compares equal to the live one", () => {
    expect(desired({ ingress: [{ port: 0, protocol: "all", cidr: "10.0.0.0/8" }] }).ingress).toEqual([
      { protocol: "all", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" },
    ]);
    const live = observedGroup(
      {
        GroupId: "sg-1",
        GroupName: "alb",
        IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      },
      { managed: true, address: "securityGroups.alb", protect: false },
    );
    expect(live.attributes.egress).toEqual(ALL_OUT);
  });

  it("leaves out the outbound rules that name a group not made yet, for the second step", () => {
    const attrs = {
      ingress: [],
      egress: [{ protocol: "tcp", fromPort: 1, toPort: 1, source: unknown("securityGroups.app.id") }],
    };
    expect(withoutUnknownRules(attrs).egress).toEqual([]);
  });

  it("calls no outbound rule a public exposure, even the default one", () => {
    const created = changeOf({ address: "securityGroups.alb", action: "create", after: desired({}) });
    expect(securityGroupType.risks?.(created)).toEqual([]);
  });
});
