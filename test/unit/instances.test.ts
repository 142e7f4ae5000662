import type { Instance } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { load } from "../../src/cli/workflow.js";
import { computePlan } from "../../src/engine/plan.js";
import type { EnvironmentInfo, Facts } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode } from "../../src/model/index.js";
import { sortIds } from "../../src/providers/aws/common/lists.js";
import { desiredSubnet, launchSubnet } from "../../src/providers/aws/instances/desired.js";
import {
  imageFactKey,
  matchesNamePattern,
  newestImage,
} from "../../src/providers/aws/instances/imageChoice.js";
import { amiName } from "../../src/providers/aws/instances/images/desired.js";
import { instanceImageType } from "../../src/providers/aws/instances/images/index.js";
import { instances, instanceType } from "../../src/providers/aws/instances/index.js";
import { launchPurpose } from "../../src/providers/aws/instances/lifecycle.js";
import { checkInstances } from "../../src/providers/aws/instances/members.js";
import { claimInstances, observedInstance } from "../../src/providers/aws/instances/observe.js";
import type { ObserveExtras } from "../../src/providers/aws/instances/observe.js";

const env: EnvironmentInfo = { environment: "stg", region: "us-west-1", tags: { project: "k" }, secrets: {} };
const facts: Facts = {
  network: {
    vpcId: "vpc-1",
    subnets: [
      { id: "subnet-a", az: "a" },
      { id: "subnet-b", az: "b" },
    ],
  },
};
const types = new Map([
  [instanceType.type, instanceType],
  [instanceImageType.type, instanceImageType],
]);

function nodesOf(spec: { [key: string]: unknown }): DesiredNode[] {
  return instances
    .expand("instances.web", spec as never, env)
    .map((n) => ({ ...n, dependsOn: n.dependsOn ?? [], protect: false }));
}

const LIVE: Instance = {
  InstanceId: "i-0000000000000000a",
  InstanceType: "t3.micro",
  ImageId: "ami-00000000000000001",
  KeyName: "k1",
  SubnetId: "subnet-b",
  PrivateIpAddress: "10.0.0.5",
  State: { Name: "running", Code: 16 },
  SecurityGroups: [{ GroupId: "sg-2" }, { GroupId: "sg-1" }],
  BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeId: "vol-1" } }],
  Tags: [
    { Key: "parity:environment", Value: "stg" },
    { Key: "parity:region", Value: "us-west-1" },
    { Key: "parity:address", Value: "instances.web[0]" },
    { Key: "project", Value: "k" },
  ],
};

/** A live instance as discovery sees it: claimed (`adoptAs`: listed in `adopt` for that member), then normalised. */
function observeInstance(
  instance: Instance,
  env: EnvironmentInfo,
  { adoptAs, ...extras }: ObserveExtras & { adoptAs?: string } = {},
): ObservedNode {
  const wanted = new Map(adoptAs ? [[instance.InstanceId ?? "", adoptAs]] : []);
  const [found] = claimInstances([instance], wanted, env);
  if (!found) throw new Error(`${instance.InstanceId} is neither this environment's nor listed in adopt`);
  return observedInstance(instance, found.claim, extras);
}

function plan(spec: { [key: string]: unknown }, observed: ObservedNode[], extraFacts: Facts = {}) {
  return computePlan({ env, nodes: nodesOf(spec), observed, facts: { ...facts, ...extraFacts }, types });
}

describe("instances: pure helpers", () => {
  it("places listed subnets as a set and spreads new members round-robin", () => {
    expect(desiredSubnet(["subnet-a", "subnet-b"], [], 0, "subnet-b")).toBe("subnet-b");
    expect(desiredSubnet(["subnet-a", "subnet-b"], [], 0, "subnet-x")).toBe("subnet-a");
    expect(desiredSubnet(["subnet-a", "subnet-b"], [], 3, undefined)).toBe("subnet-b");
    // Without `subnets` the spread is a default: existing members are not compared.
    expect(desiredSubnet(undefined, ["subnet-a", "subnet-b"], 1, "subnet-z")).toBeUndefined();
    expect(desiredSubnet(undefined, ["subnet-a", "subnet-b"], 2, undefined)).toBe("subnet-a");
    expect(launchSubnet(undefined, ["subnet-a", "subnet-b"], 1)).toBe("subnet-b");
    expect(() => launchSubnet(undefined, [], 0)).toThrow(/no subnets/);
  });

  it("sorts security group ids with unknowns last", () => {
    expect(sortIds(["sg-b", { $unknown: "securityGroups.x.id" }, "sg-a"])).toEqual([
      "sg-a",
      "sg-b",
      { $unknown: "securityGroups.x.id" },
    ]);
  });

  it("matches AMI name patterns like the DescribeImages name filter", () => {
    expect(matchesNamePattern("amzn2-ami-hvm-*-x86_64-gp2", "amzn2-ami-hvm-2.0.2026-x86_64-gp2")).toBe(true);
    expect(matchesNamePattern("amzn2-ami-hvm-*-x86_64-gp2", "amzn2-ami-hvm-2.0-arm64-gp2")).toBe(false);
    expect(matchesNamePattern("web-v?", "web-v2")).toBe(true);
    expect(matchesNamePattern("web.(1)", "webX(1)")).toBe(false);
  });

  it("picks the newest image, breaking ties by name", () => {
    const images = [
      { id: "ami-1", name: "app-2024", created: "2026-01-01T00:00:00.000Z" },
      { id: "ami-2", name: "app-2026", created: "2026-01-01T00:00:00.000Z" },
      { id: "ami-3", name: "app-2025", created: "2025-01-01T00:00:00.000Z" },
    ];
    expect(newestImage(images)?.id).toBe("ami-2");
    expect(newestImage([])).toBeUndefined();
  });

  it("gives a launch a token purpose that changes with its parameters and with what it replaces", () => {
    const a = launchPurpose({ ImageId: "ami-1", InstanceType: "t3.micro" }, undefined);
    expect(launchPurpose({ InstanceType: "t3.micro", ImageId: "ami-1" }, undefined)).toBe(a);
    expect(launchPurpose({ ImageId: "ami-2", InstanceType: "t3.micro" }, undefined)).not.toBe(a);
    expect(launchPurpose({ ImageId: "ami-1", InstanceType: "t3.micro" }, "i-old")).not.toBe(a);
    expect(launchPurpose({ ImageId: "ami-1", InstanceType: "t3.micro" }, undefined, "i-dead")).not.toBe(a);
  });

  it("rejects adopting more instances than count, or one twice", () => {
    expect(
      checkInstances({ count: 1, type: "t3.micro", image: "ami-1", adopt: ["i-1", "i-2"] }).map(
        (p) => p.message,
      ),
    ).toEqual(["adopt lists 2 instances but count is 1"]);
    expect(checkInstances({ count: 3, type: "t3.micro", image: "ami-1", adopt: ["i-1", "i-1"] })).toEqual([
      { path: ["adopt", 1], message: "i-1 is listed twice" },
    ]);
  });

  it("names AMIs with allowed characters only", () => {
    expect(amiName(env, "instances.web", "i-0abc")).toBe("stg-instances.web-from-i-0abc");
    expect(amiName(env, "instances.we$b", "i-0abc")).toBe("stg-instances.we-b-from-i-0abc");
  });
});

describe("instances: expansion and observation", () => {
  it("expands into one node per member, plus the AMI node they depend on", () => {
    const nodes = nodesOf({ count: 2, type: "t3.micro", image: { fromInstance: "i-0000000000000000a" } });
    expect(nodes.map((n) => [n.address, n.type, n.group, n.dependsOn])).toEqual([
      ["instances.web.image", "instanceImages", "instances.web.image", []],
      ["instances.web[0]", "instances", "instances.web", ["instances.web.image"]],
      ["instances.web[1]", "instances", "instances.web", ["instances.web.image"]],
    ]);
    expect(nodesOf({ count: 0, type: "t3.micro", image: "ami-1" })).toEqual([]);
  });

  it("normalises a live instance", () => {
    const observed = observeInstance(LIVE, env, { snapshotBeforeChange: true });
    expect(observed).toMatchObject({
      address: "instances.web[0]",
      managed: true,
      attributes: {
        type: "t3.micro",
        image: "ami-00000000000000001",
        keyName: "k1",
        securityGroups: ["sg-1", "sg-2"],
        subnet: "subnet-b",
      },
      outputs: { id: "i-0000000000000000a", privateIp: "10.0.0.5" },
      details: { volumes: ["vol-1"], adopted: false, snapshotBeforeChange: true, state: "running" },
    });
    const untagged = observeInstance({ ...LIVE, Tags: [] }, env, { adoptAs: "instances.web[1]" });
    expect([untagged.address, untagged.managed, untagged.details?.adopted]).toEqual([
      "instances.web[1]",
      false,
      true,
    ]);
    expect(observeInstance({ ...LIVE, KeyName: undefined }, env).attributes).not.toHaveProperty("keyName");
  });
});

describe("instances: planning", () => {
  const spec = { count: 1, type: "t3.micro", image: "ami-00000000000000001", keyName: "k1" };

  it("is clean against its own instance, with the default spread not compared", () => {
    const { plan: p } = plan(spec, [observeInstance(LIVE, env)]);
    expect(p.changes.map((c) => c.action)).toEqual(["no-op"]);
  });

  it("changes the type in place and replaces on keyName, saying which", () => {
    const { plan: p } = plan({ ...spec, type: "t3.small", keyName: "k2" }, [observeInstance(LIVE, env)]);
    const c = p.changes[0]!;
    expect(c.action).toBe("replace");
    expect(c.reason).toBe("keyName changed");
    expect(c.attributes.map((a) => [a.path, a.forcesReplacement])).toEqual([
      ["type", false],
      ["keyName", true],
    ]);
    const { plan: q } = plan({ ...spec, type: "t3.small" }, [observeInstance(LIVE, env)]);
    expect(q.changes[0]).toMatchObject({ action: "update", risks: ["downtime"] });
    expect(q.changes[0]?.notes).toEqual([
      "stop i-0000000000000000a, change its type to t3.small, then start it again",
    ]);
  });

  it("notes the snapshots it takes before terminating a member", () => {
    const observed = observeInstance(
      { ...LIVE, Tags: [...(LIVE.Tags ?? []), { Key: "parity:address", Value: "instances.web[1]" }] },
      env,
      { snapshotBeforeChange: true },
    );
    const { plan: p } = plan({ ...spec, snapshotBeforeChange: true }, [
      observeInstance(LIVE, env, { snapshotBeforeChange: true }),
      observed,
    ]);
    const deletion = p.changes.find((c) => c.action === "delete");
    expect(deletion?.address).toBe("instances.web[1]");
    expect(deletion?.notes).toEqual(["snapshot vol-1 before terminating i-0000000000000000a"]);
    expect(deletion?.risks).toEqual(["downtime"]);
  });

  it("carries snapshotBeforeChange as a tag for apply to write, never as a difference", () => {
    const { plan: on, desired } = plan({ ...spec, snapshotBeforeChange: true }, [observeInstance(LIVE, env)]);
    expect(on.changes[0]?.attributes).toEqual([]);
    expect(desired.get("instances.web[0]")?.attributes.tags).toMatchObject({
      "parity:snapshot-before-change": "true",
    });
    const recorded = observeInstance(
      { ...LIVE, Tags: [...(LIVE.Tags ?? []), { Key: "parity:snapshot-before-change", Value: "true" }] },
      env,
    );
    const { plan: off, desired: cleared } = plan(spec, [recorded]);
    expect(off.changes[0]?.attributes).toEqual([]);
    expect(cleared.get("instances.web[0]")?.attributes.tags).toMatchObject({
      "parity:snapshot-before-change": "false",
    });
  });

  it("moves a member out of a subnet the file no longer lists, and keeps one in any listed subnet", () => {
    const live = observeInstance(LIVE, env);
    expect(plan({ ...spec, subnets: ["subnet-a", "subnet-b"] }, [live]).plan.changes[0]?.action).toBe(
      "no-op",
    );
    const moved = plan({ ...spec, subnets: ["subnet-a"] }, [live]).plan.changes[0];
    expect([moved?.action, moved?.reason]).toEqual(["replace", "subnet changed"]);
  });

  it("lets the source and adopted instances satisfy image.fromInstance, and launches the rest from the AMI", () => {
    const source = "i-0000000000000000a";
    const fromSource = { count: 3, type: "t3.micro", image: { fromInstance: source } };
    const adopted = observeInstance(
      {
        ...LIVE,
        InstanceId: "i-0000000000000000b",
        ImageId: "ami-0000000000000000c",
        Tags: [
          ...(LIVE.Tags ?? []).slice(0, 2),
          { Key: "parity:address", Value: "instances.web[1]" },
          { Key: "parity:adopted", Value: "true" },
          { Key: "project", Value: "k" },
        ],
      },
      env,
    );
    const launched = observeInstance(
      {
        ...LIVE,
        InstanceId: "i-0000000000000000d",
        ImageId: "ami-00000000000000009",
        Tags: [
          ...(LIVE.Tags ?? []).slice(0, 2),
          { Key: "parity:address", Value: "instances.web[2]" },
          { Key: "project", Value: "k" },
        ],
      },
      env,
    );
    const { plan: p } = plan(fromSource, [observeInstance(LIVE, env), adopted, launched]);
    expect(p.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      "create instances.web.image",
      "no-op instances.web[0]",
      "no-op instances.web[1]",
      "replace instances.web[2]",
    ]);
    expect(p.changes[3]?.after?.image).toEqual({ $unknown: "instances.web.image.id" });
    expect(p.changes[0]?.risks).toEqual(["downtime"]);
  });

  it("keeps a member launched from any AMI matching the name pattern, and errors when nothing matches", () => {
    const byName = { count: 2, type: "t3.micro", image: { name: "app-*" } };
    const key = imageFactKey({ name: "app-*", owners: ["amazon", "self"] });
    const live = observeInstance(LIVE, env, { imageName: "app-2025" });
    const { plan: p, errors } = plan(byName, [live], {
      [key]: { id: "ami-0000000000000000f", name: "app-2026", created: "" },
    });
    expect(errors).toEqual([]);
    expect(p.changes.map((c) => `${c.action} ${c.address} ${String(c.after?.image)}`)).toEqual([
      "no-op instances.web[0] ami-00000000000000001",
      "create instances.web[1] ami-0000000000000000f",
    ]);
    expect(plan(byName, [], { [key]: null }).errors.map((e) => e.message)).toEqual([
      "no available AMI named app-* owned by amazon or self in us-west-1",
      "no available AMI named app-* owned by amazon or self in us-west-1",
    ]);
  });

  it("cannot plan an adopt id that was not found", () => {
    const { errors } = plan({ ...spec, adopt: ["i-00000000000000077"] }, []);
    expect(errors.map((e) => e.message)).toEqual([
      "i-00000000000000077 (adopt[0]) was not found pending, running or stopped in us-west-1, or is already managed under another address",
    ]);
  });

  it("refuses at plan time to adopt an instance another environment owns", () => {
    const theirs: Instance = {
      ...LIVE,
      Tags: [
        { Key: "parity:environment", Value: "prod" },
        { Key: "parity:address", Value: "instances.web[0]" },
      ],
    };
    const observed = observeInstance(theirs, env, { adoptAs: "instances.web[0]" });
    const { errors } = plan({ ...spec, adopt: ["i-0000000000000000a"] }, [observed]);
    expect(errors.map((e) => e.message)).toEqual([
      'instance i-0000000000000000a belongs to the parity environment "prod"',
    ]);
  });
});

describe("instances: file validation", () => {
  const messages = (image: string, extra = "") =>
    load("env.yaml", {
      read: () =>
        `environment: stg\nregion: us-west-1\ninstances:\n  web:\n    type: t3.micro\n    image: ${image}\n${extra}`,
    }).diagnostics.map((d) => `${d.path}: ${d.message}`);

  it("explains a wrong image in one sentence", () => {
    const forms = "must be an AMI id (ami-…), { fromInstance: i-… } or { name: pattern }";
    expect(messages("ubuntu")).toEqual([`instances.web.image: ${forms}`]);
    expect(messages("5")).toEqual([`instances.web.image: ${forms}`]);
    expect(messages("{ noReboot: true }")).toEqual([
      "instances.web.image: must set exactly one of fromInstance, name",
    ]);
    expect(messages("{ fromInstance: i-0123456789abcdef0, noReboot: true }")).toEqual([]);
    expect(messages('{ name: "app-*", owners: [amazon, "099720109477"] }')).toEqual([]);
  });

  it("refers to security groups by reference or id, and adopts at most count instances", () => {
    expect(messages("ami-0123456789abcdef0", "    securityGroups: [sg-0123abcd, web]\n")).toEqual([
      "instances.web.securityGroups[1]: must be a reference like securityGroups.app, or an sg-… id",
    ]);
    expect(
      messages("ami-0123456789abcdef0", "    adopt: [i-0123456789abcdef0, i-0123456789abcdef1]\n"),
    ).toEqual(["instances.web.adopt: adopt lists 2 instances but count is 1"]);
  });
});
