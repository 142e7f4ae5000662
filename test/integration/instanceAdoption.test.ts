import {
  CreateImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { Instance } from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { load, planLoaded } from "../../src/cli/workflow.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();
const BASE_IMAGE = "chatmrpt-staging-base-20261120";

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

/** `aws ec2 run-instances --image-id … --instance-type t3.micro --count 1`. */
async function runInstance(endpoint: string, image: string): Promise<string> {
  const made = await ec2(endpoint).send(
    new RunInstancesCommand({ ImageId: image, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
  );
  return made.Instances?.[0]?.InstanceId ?? "";
}

/**
 * The chatmrpt runbook by hand: the first instance, `aws ec2 create-image --name
 * chatmrpt-staging-base-20261120` of it, and a second instance launched from that AMI.
 */
async function handBuilt(endpoint: string) {
  const first = await runInstance(endpoint, await amazonLinux(endpoint));
  const image = await ec2(endpoint).send(new CreateImageCommand({ InstanceId: first, Name: BASE_IMAGE }));
  const second = await runInstance(endpoint, image.ImageId ?? "");
  return { first, second, image: image.ImageId ?? "" };
}

async function ownImages(endpoint: string): Promise<string[]> {
  const found = await ec2(endpoint).send(new DescribeImagesCommand({ Owners: ["self"] }));
  return (found.Images ?? []).map((i) => i.ImageId ?? "").sort();
}

async function running(endpoint: string): Promise<Instance[]> {
  const found = await ec2(endpoint).send(
    new DescribeInstancesCommand({
      Filters: [{ Name: "instance-state-name", Values: ["pending", "running"] }],
    }),
  );
  return (found.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

function file(count: number, image: string, adopt: string[]): string {
  return `
environment: instadopt
region: us-west-1
instances:
  web:
    count: ${count}
    type: t3.micro
    image: ${image}
    adopt: [${adopt.join(", ")}]
`;
}

describe("adopting instances made by hand", () => {
  it("adopts members launched from different AMIs without imaging, rebooting or replacing any", async () => {
    const endpoint = emulator().endpoint;
    const hand = await handBuilt(endpoint);
    const env = writeEnvironment(file(2, `{ fromInstance: ${hand.first} }`, [hand.first, hand.second]));

    const plan = await planFile(env, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt instances.web[0]", "adopt instances.web[1]"]);
    for (const c of plan.plan.changes) {
      expect(c.attributes).toEqual([]);
      expect(c.risks).toEqual([]);
    }
    plan.ctx.destroy();
    await applyFile(env, endpoint);

    expect(await ownImages(endpoint)).toEqual([hand.image]);
    expect((await running(endpoint)).map((i) => i.InstanceId).sort()).toEqual(
      [hand.first, hand.second].sort(),
    );
    const again = await planFile(env, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
  });

  it("also adopts them under an AMI id, which only new members launch from", async () => {
    const endpoint = emulator().endpoint;
    const hand = await handBuilt(endpoint);
    const env = writeEnvironment(file(2, hand.image, [hand.first, hand.second]));
    const plan = await planFile(env, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt instances.web[0]", "adopt instances.web[1]"]);
    expect(plan.plan.changes.flatMap((c) => c.attributes)).toEqual([]);
    plan.ctx.destroy();
  });

  it("recognises the hand-made AMI of the source by name and launches the new member from it", async () => {
    const endpoint = emulator().endpoint;
    const hand = await handBuilt(endpoint);
    const env = writeEnvironment(
      file(3, `{ fromInstance: ${hand.first}, adoptImage: ${BASE_IMAGE} }`, [hand.first, hand.second]),
    );

    const plan = await planFile(env, endpoint);
    expect(actions(plan.plan)).toEqual([
      "adopt instances.web.image",
      "adopt instances.web[0]",
      "adopt instances.web[1]",
      "create instances.web[2]",
    ]);
    const image = change(plan.plan, "instances.web.image");
    expect(image.id).toBe(hand.image);
    expect(image.attributes).toEqual([]);
    expect(image.risks).toEqual([]);
    plan.ctx.destroy();
    await applyFile(env, endpoint);

    expect(await ownImages(endpoint)).toEqual([hand.image]);
    const third = (await running(endpoint)).find(
      (i) => ![hand.first, hand.second].includes(i.InstanceId ?? ""),
    );
    expect(third?.ImageId).toBe(hand.image);
    const again = await planFile(env, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
  });

  it("reports a fromInstance that does not exist at plan time, at its entry", async () => {
    const endpoint = emulator().endpoint;
    await amazonLinux(endpoint);
    const env = writeEnvironment(file(1, "{ fromInstance: i-0123456789abcdef0 }", []));
    const { loaded } = load(env);
    const session = await planLoaded(loaded!, { endpoint });
    try {
      expect(session.errors.map((e) => [e.path, e.message, e.location?.line])).toEqual([
        [
          "instances.web.image",
          "image.fromInstance i-0123456789abcdef0 was not found pending, running or stopped in us-west-1",
          5,
        ],
      ]);
    } finally {
      session.ctx.destroy();
    }
  });
});
