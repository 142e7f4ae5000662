import {
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterEach, describe, expect, it } from "vitest";
import { load } from "../../src/cli/workflow.js";
import { startParity } from "../support/child.js";
import type { ChildRun } from "../support/child.js";
import { startFaultProxy } from "../support/faultProxy.js";
import { actions, change, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function ec2(endpoint: string): EC2Client {
  return new EC2Client({ region: "us-west-1", endpoint });
}

async function amazonLinux(endpoint: string): Promise<string> {
  const ssm = new SSMClient({ region: "us-west-1", endpoint });
  const found = await ssm.send(
    new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
  );
  ssm.destroy();
  return found.Parameter?.Value ?? "";
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function start(args: string[], endpoint: string): ChildRun {
  const run = startParity(args, { endpoint });
  cleanups.push(() => {
    if (run.child.exitCode === null) run.child.kill("SIGKILL");
  });
  return run;
}

describe("snapshotBeforeChange", () => {
  it("snapshots an adopted instance's volumes before its first change, once per plan across an interrupted apply", async () => {
    const endpoint = emulator().endpoint;
    // aws ec2 run-instances --image-id … --instance-type t3.micro --count 1
    const made = await ec2(endpoint).send(
      new RunInstancesCommand({
        ImageId: await amazonLinux(endpoint),
        InstanceType: "t3.micro",
        MinCount: 1,
        MaxCount: 1,
      }),
    );
    const id = made.Instances?.[0]?.InstanceId ?? "";
    const described = await ec2(endpoint).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const volumes = (described.Reservations?.[0]?.Instances?.[0]?.BlockDeviceMappings ?? []).map(
      (m) => m.Ebs?.VolumeId ?? "",
    );
    expect(volumes.length).toBeGreaterThan(0);
    const file = writeEnvironment(`
environment: snapfirst
region: us-west-1
instances:
  web:
    count: 1
    type: t3.small
    image: { name: "amzn2-ami-hvm-*-x86_64-gp2" }
    adopt: [${id}]
    snapshotBeforeChange: true
`);

    const plan = await livePlan(file, endpoint);
    expect(actions(plan)).toEqual(["adopt instances.web[0]"]);
    expect(change(plan, "instances.web[0]").notes).toEqual([
      ...volumes.map((v) => `snapshot ${v} before changing ${id}`),
      `tag ${id} and its volumes as instances.web[0]`,
      `stop ${id}, change its type to t3.small, then start it again`,
    ]);

    // The apply stops dead at the type change, after the snapshot and the adoption's tags.
    const faulty = await startFaultProxy({
      target: endpoint,
      rules: [{ operation: "StopInstances", fault: "hang" }],
    });
    cleanups.push(() => faulty.stop());
    const first = start(["apply", file, "--auto-approve"], faulty.endpoint);
    await until(() => faulty.log.some((e) => e.fault === "hang"), "the hung StopInstances");
    first.child.kill("SIGTERM");
    expect((await first.done).code, first.output()).toBe(1);

    // Re-run against the same file: the same plan, so the snapshots it took are found, not taken again.
    const again = start(["apply", file, "--auto-approve"], endpoint);
    const result = await again.done;
    expect(result.code, again.output()).toBe(0);

    const snapshots = await ec2(endpoint).send(
      new DescribeSnapshotsCommand({
        OwnerIds: ["self"],
        Filters: [{ Name: "volume-id", Values: volumes }],
      }),
    );
    const plan12 = (load(file).loaded?.info.planDigest ?? "").slice(0, 12);
    expect(plan12).toMatch(/^[0-9a-f]{12}$/);
    const tagOf = (s: { Tags?: { Key?: string; Value?: string }[] }, key: string) =>
      s.Tags?.find((t) => t.Key === key)?.Value;
    expect(
      (snapshots.Snapshots ?? []).map((s) => ({
        volume: s.VolumeId,
        of: tagOf(s, "parity:snapshot-of"),
        plan: tagOf(s, "parity:snapshot-plan"),
        name: tagOf(s, "Name"),
      })),
    ).toEqual(
      volumes.map((v) => ({
        volume: v,
        of: id,
        plan: plan12,
        name: `snapfirst-instances.web[0]-${v}-plan-${plan12}`,
      })),
    );
    const now = await ec2(endpoint).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(now.Reservations?.[0]?.Instances?.[0]?.InstanceType).toBe("t3.small");
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  }, 240_000);
});
