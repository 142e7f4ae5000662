import {
  CreateKeyPairCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { Instance } from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load, planLoaded } from "../../src/cli/workflow.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

function ec2(endpoint: string): EC2Client {
  return new EC2Client({ region: "us-west-1", endpoint });
}

/** A real Amazon Linux AMI of the emulator, found the way a user would (never an unfiltered DescribeImages). */
async function amazonLinux(endpoint: string): Promise<string> {
  const ssm = new SSMClient({ region: "us-west-1", endpoint });
  const found = await ssm.send(
    new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
  );
  ssm.destroy();
  return found.Parameter?.Value as string;
}

async function liveInstances(endpoint: string, environment: string): Promise<Instance[]> {
  const found = await ec2(endpoint).send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: "tag:parity:environment", Values: [environment] },
        { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
      ],
    }),
  );
  return (found.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

function tag(instance: Instance | undefined, key: string): string | undefined {
  return instance?.Tags?.find((t) => t.Key === key)?.Value;
}

async function launchByHand(endpoint: string, image: string): Promise<Instance> {
  const made = await ec2(endpoint).send(
    new RunInstancesCommand({ ImageId: image, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
  );
  return made.Instances?.[0] as Instance;
}

function webFile(environment: string, body: string): string {
  return `
environment: ${environment}
region: us-west-1
tags: { project: parity-test }
securityGroups:
  app:
    name: ${environment}-app
    ingress: [{ port: 8080, cidr: 10.0.0.0/8 }]
  admin:
    name: ${environment}-admin
    ingress: [{ port: 22, cidr: 203.0.113.10/32 }]
instances:
  web:
${body
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`;
}

describe("instances against moto", () => {
  it("creates a spread fleet, reverts an out-of-band type change in place, scales in, and deletes", async () => {
    const endpoint = emulator().endpoint;
    const ami = await amazonLinux(endpoint);
    await ec2(endpoint).send(new CreateKeyPairCommand({ KeyName: "inst-key" }));
    const body = (count: number, extra = "") => `
count: ${count}
type: t3.micro
image: ${ami}
keyName: inst-key
securityGroups: [securityGroups.app]
tags: { role: web }
${extra}`;
    const file = writeEnvironment(webFile("insttest", body(2)));

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual([
      "create securityGroups.app",
      "create securityGroups.admin",
      "create instances.web[0]",
      "create instances.web[1]",
    ]);
    const subnets = first.facts.network as { subnets: { id: string }[] };
    expect(change(first.plan, "instances.web[0]").after).toMatchObject({
      type: "t3.micro",
      image: ami,
      keyName: "inst-key",
      subnet: subnets.subnets[0]?.id,
      securityGroups: [{ $unknown: "securityGroups.app.id" }],
    });
    expect(change(first.plan, "instances.web[1]").after?.subnet).toBe(subnets.subnets[1]?.id);
    expect(change(first.plan, "instances.web[0]").expectedSeconds).toBe(60);
    first.ctx.destroy();
    await applyFile(file, endpoint);

    const live = await liveInstances(endpoint, "insttest");
    expect(live.map((i) => tag(i, "parity:address")).sort()).toEqual([
      "instances.web[0]",
      "instances.web[1]",
    ]);
    // Spread over both default subnets, with the file's group and key, tagged from the first call.
    expect(new Set(live.map((i) => i.SubnetId)).size).toBe(2);
    expect(live.every((i) => i.KeyName === "inst-key" && i.SecurityGroups?.length === 1)).toBe(true);
    expect(live.every((i) => tag(i, "role") === "web" && tag(i, "project") === "parity-test")).toBe(true);
    // Their volumes carry the ownership tags too (TagSpecifications for `volume`).
    const volumes = await ec2(endpoint).send(
      new DescribeVolumesCommand({ Filters: [{ Name: "tag:parity:environment", Values: ["insttest"] }] }),
    );
    expect(
      volumes.Volumes?.map((v) => v.Tags?.find((t) => t.Key === "parity:address")?.Value).sort(),
    ).toEqual(["instances.web[0]", "instances.web[1]"]);

    // A clean re-plan, observing the whole fleet with one DescribeInstances.
    const calls: string[] = [];
    const { loaded } = load(file);
    const again = await planLoaded(loaded!, {
      endpoint,
      onCall: (service, op) => calls.push(`${service}:${op}`),
    });
    expect(actions(again.plan)).toEqual([]);
    expect(calls.filter((c) => c === "ec2:DescribeInstances")).toHaveLength(1);
    // No AMI in the file and none of ours in the tagging API's answer: no listing of AMIs at all.
    expect(calls.filter((c) => c === "ec2:DescribeImages")).toEqual([]);
    again.ctx.destroy();

    // Someone resizes web[1] by hand: exactly one in-place update of `type`, which stops and starts it.
    const web1 = live.find((i) => tag(i, "parity:address") === "instances.web[1]") as Instance;
    const id1 = web1.InstanceId as string;
    await ec2(endpoint).send(new StopInstancesCommand({ InstanceIds: [id1] }));
    await ec2(endpoint).send(
      new ModifyInstanceAttributeCommand({ InstanceId: id1, InstanceType: { Value: "t3.small" } }),
    );
    await ec2(endpoint).send(new StartInstancesCommand({ InstanceIds: [id1] }));
    const drift = await planFile(file, endpoint);
    expect(actions(drift.plan)).toEqual(["update instances.web[1]"]);
    const update = change(drift.plan, "instances.web[1]");
    expect(update.attributes.map((a) => [a.path, a.before, a.after, a.forcesReplacement])).toEqual([
      ["type", "t3.small", "t3.micro", false],
    ]);
    expect(update.risks).toEqual(["downtime"]);
    expect(update.notes).toEqual([`stop ${id1}, change its type to t3.micro, then start it again`]);
    drift.ctx.destroy();
    await applyFile(file, endpoint);
    const resized = await ec2(endpoint).send(new DescribeInstancesCommand({ InstanceIds: [id1] }));
    expect(resized.Reservations?.[0]?.Instances?.[0]?.InstanceType).toBe("t3.micro");
    expect(resized.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe("running");
    const clean = await planFile(file, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();

    // The plan says which changes are in place and which relaunch.
    writeFileSync(
      file,
      webFile(
        "insttest",
        body(2).replace("[securityGroups.app]", "[securityGroups.app, securityGroups.admin]"),
      ),
    );
    const groups = await planFile(file, endpoint);
    expect(actions(groups.plan)).toEqual(["update instances.web[0]", "update instances.web[1]"]);
    expect(change(groups.plan, "instances.web[0]").attributes.map((a) => a.path)).toEqual(["securityGroups"]);
    groups.ctx.destroy();
    await applyFile(file, endpoint);
    const regrouped = await liveInstances(endpoint, "insttest");
    expect(regrouped.every((i) => i.SecurityGroups?.length === 2)).toBe(true);
    await ec2(endpoint).send(new CreateKeyPairCommand({ KeyName: "other-key" }));
    writeFileSync(
      file,
      webFile(
        "insttest",
        body(2)
          .replace("[securityGroups.app]", "[securityGroups.app, securityGroups.admin]")
          .replace("inst-key", "other-key"),
      ),
    );
    const rekey = await planFile(file, endpoint);
    expect(actions(rekey.plan)).toEqual(["replace instances.web[0]", "replace instances.web[1]"]);
    expect(change(rekey.plan, "instances.web[0]").reason).toBe("keyName changed");
    expect(change(rekey.plan, "instances.web[0]").risks).toEqual(["downtime"]);
    rekey.ctx.destroy();

    // Scale in: only the highest-numbered member goes.
    writeFileSync(
      file,
      webFile(
        "insttest",
        body(1).replace("[securityGroups.app]", "[securityGroups.app, securityGroups.admin]"),
      ),
    );
    const scaleIn = await planFile(file, endpoint);
    expect(actions(scaleIn.plan)).toEqual(["delete instances.web[1]"]);
    expect(change(scaleIn.plan, "instances.web[1]").id).toBe(id1);
    expect(change(scaleIn.plan, "instances.web[1]").notes).toEqual([]);
    scaleIn.ctx.destroy();
    await applyFile(file, endpoint);
    expect((await liveInstances(endpoint, "insttest")).map((i) => tag(i, "parity:address"))).toEqual([
      "instances.web[0]",
    ]);
    const scaled = await planFile(file, endpoint);
    expect(actions(scaled.plan)).toEqual([]);
    scaled.ctx.destroy();

    // Removing the entry deletes every member (before the groups they use).
    writeFileSync(file, webFile("insttest", body(1)).split("instances:")[0] as string);
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual(["delete instances.web[0]"]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await liveInstances(endpoint, "insttest")).toEqual([]);
  });

  it("adopts an untagged instance as member [0] and launches member [1]", async () => {
    const endpoint = emulator().endpoint;
    const ami = await amazonLinux(endpoint);
    const existing = await launchByHand(endpoint, ami);
    const id = existing.InstanceId as string;
    const file = writeEnvironment(
      webFile("adopttest", `count: 2\ntype: t3.micro\nimage: ${ami}\nadopt: [${id}]`),
    );

    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual([
      "create securityGroups.app",
      "create securityGroups.admin",
      "adopt instances.web[0]",
      "create instances.web[1]",
    ]);
    expect(change(plan.plan, "instances.web[0]").id).toBe(id);
    // Adoption converges it to the file: the environment's tags are added, nothing else differs.
    expect(change(plan.plan, "instances.web[0]").attributes.map((a) => [a.path, a.after])).toEqual([
      ["tags.project", "parity-test"],
    ]);
    plan.ctx.destroy();
    await applyFile(file, endpoint);

    const live = await liveInstances(endpoint, "adopttest");
    const adopted = live.find((i) => i.InstanceId === id);
    expect(tag(adopted, "parity:address")).toBe("instances.web[0]");
    expect(tag(adopted, "parity:adopted")).toBe("true");
    expect(live.map((i) => tag(i, "parity:address")).sort()).toEqual([
      "instances.web[0]",
      "instances.web[1]",
    ]);
    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // An id that does not exist cannot be planned (it would silently become a new instance otherwise).
    const missing = writeEnvironment(
      webFile("adopttest2", `type: t3.micro\nimage: ${ami}\nadopt: [i-0123456789abcdef0]`),
    );
    await expect(planFile(missing, endpoint)).rejects.toThrow(
      /i-0123456789abcdef0 \(adopt\[0\]\) was not found/,
    );
  });

  it("launches from an AMI of an existing instance, made once and reused on re-plan", async () => {
    const endpoint = emulator().endpoint;
    const ami = await amazonLinux(endpoint);
    const source = (await launchByHand(endpoint, ami)).InstanceId as string;
    const file = writeEnvironment(
      webFile(
        "amitest",
        `count: 2\ntype: t3.micro\nimage: { fromInstance: ${source}, noReboot: true }\nadopt: [${source}]`,
      ),
    );

    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual([
      "create securityGroups.app",
      "create securityGroups.admin",
      "create instances.web.image",
      "adopt instances.web[0]",
      "create instances.web[1]",
    ]);
    // The source instance satisfies its own image: adopted, never replaced for it.
    expect(change(plan.plan, "instances.web[0]").attributes.map((a) => a.path)).toEqual(["tags.project"]);
    expect(change(plan.plan, "instances.web[1]").after?.image).toEqual({
      $unknown: "instances.web.image.id",
    });
    expect(change(plan.plan, "instances.web.image").notes).toEqual([
      `images ${source} without rebooting it (file systems are not guaranteed consistent)`,
    ]);
    plan.ctx.destroy();
    await applyFile(file, endpoint);

    const images = await ec2(endpoint).send(
      new DescribeImagesCommand({
        Owners: ["self"],
        Filters: [{ Name: "tag:parity:source-instance", Values: [source] }],
      }),
    );
    expect(images.Images).toHaveLength(1);
    const imageId = images.Images?.[0]?.ImageId;
    const live = await liveInstances(endpoint, "amitest");
    const member1 = live.find((i) => tag(i, "parity:address") === "instances.web[1]");
    expect(member1?.ImageId).toBe(imageId);
    expect(live.find((i) => i.InstanceId === source)?.ImageId).toBe(ami);

    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // Removing the entry deletes the members first, then the AMI.
    writeFileSync(file, readFileSync(file, "utf8").split("instances:")[0] as string);
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan).sort()).toEqual([
      "delete instances.web.image",
      "delete instances.web[0]",
      "delete instances.web[1]",
    ]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    const gone = await ec2(endpoint).send(
      new DescribeImagesCommand({
        Owners: ["self"],
        Filters: [{ Name: "image-id", Values: [imageId as string] }],
      }),
    );
    expect(gone.Images ?? []).toEqual([]);
  });

  it("resolves an image name pattern to the newest match", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(
      webFile("nametest", `type: t3.micro\nimage: { name: "amzn2-ami-hvm-*-x86_64-gp2", owners: [amazon] }`),
    );
    const expected = await amazonLinux(endpoint);
    const plan = await planFile(file, endpoint);
    expect(change(plan.plan, "instances.web[0]").after?.image).toBe(expected);
    plan.ctx.destroy();
    await applyFile(file, endpoint);
    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    const nothing = writeEnvironment(
      webFile("nametest2", `type: t3.micro\nimage: { name: "no-such-ami-*" }`),
    );
    await expect(planFile(nothing, endpoint)).rejects.toThrow(/no available AMI named no-such-ami-\*/);
  });

  it("snapshots a member's volumes before terminating it", async () => {
    const endpoint = emulator().endpoint;
    const ami = await amazonLinux(endpoint);
    const body = (count: number) =>
      `count: ${count}\ntype: t3.micro\nimage: ${ami}\nsnapshotBeforeChange: true`;
    const file = writeEnvironment(webFile("snaptest", body(2)));
    await applyFile(file, endpoint);
    const live = await liveInstances(endpoint, "snaptest");
    const web1 = live.find((i) => tag(i, "parity:address") === "instances.web[1]") as Instance;
    const volume = web1.BlockDeviceMappings?.[0]?.Ebs?.VolumeId as string;
    expect(volume).toMatch(/^vol-/);

    writeFileSync(file, webFile("snaptest", body(1)));
    const scaleIn = await planFile(file, endpoint);
    expect(actions(scaleIn.plan)).toEqual(["delete instances.web[1]"]);
    expect(change(scaleIn.plan, "instances.web[1]").notes).toEqual([
      `snapshot ${volume} before terminating ${web1.InstanceId}`,
    ]);
    scaleIn.ctx.destroy();
    await applyFile(file, endpoint);

    const snapshots = await ec2(endpoint).send(
      new DescribeSnapshotsCommand({
        OwnerIds: ["self"],
        Filters: [{ Name: "volume-id", Values: [volume] }],
      }),
    );
    expect(
      snapshots.Snapshots?.map((s) => [s.State, s.Tags?.find((t) => t.Key === "parity:snapshot-of")?.Value]),
    ).toEqual([["completed", web1.InstanceId]]);
    expect((await liveInstances(endpoint, "snaptest")).map((i) => tag(i, "parity:address"))).toEqual([
      "instances.web[0]",
    ]);

    // The setting is recorded on the instance: removing the whole entry still snapshots first.
    writeFileSync(file, webFile("snaptest", body(1)).split("instances:")[0] as string);
    const removal = await planFile(file, endpoint);
    expect(change(removal.plan, "instances.web[0]").notes).toHaveLength(1);
    removal.ctx.destroy();
  });
});
