import {
  CreateKeyPairCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import {
  actions,
  applyFile,
  change,
  livePlan,
  planFile,
  useMoto,
  writeEnvironment,
} from "../support/harness.js";

const { emulator } = useMoto();

/** The emulator's Amazon Linux AMI, as `aws ssm get-parameter` finds it. */
async function amazonLinux(endpoint: string): Promise<string> {
  const ssm = new SSMClient({ region: "us-west-1", endpoint });
  const found = await ssm.send(
    new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
  );
  ssm.destroy();
  return found.Parameter?.Value ?? "";
}

function file(body: string): string {
  return writeEnvironment(`
environment: fidtest
region: us-west-1
instances:
  web:
${body
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`);
}

async function namesByAddress(endpoint: string): Promise<Record<string, string>> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeInstancesCommand({ Filters: [{ Name: "tag:parity:environment", Values: ["fidtest"] }] }),
  );
  const out: Record<string, string> = {};
  for (const instance of (found.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
    const tag = (key: string) => instance.Tags?.find((t) => t.Key === key)?.Value ?? "";
    out[tag("parity:address")] = tag("Name");
  }
  return out;
}

describe("instance fidelity", () => {
  it("adopts with snapshotBeforeChange and shows its bookkeeping tag as no difference", async () => {
    const endpoint = emulator().endpoint;
    const ami = await amazonLinux(endpoint);
    // aws ec2 run-instances --image-id … --instance-type t3.micro --count 1
    const made = await new EC2Client({ region: "us-west-1", endpoint }).send(
      new RunInstancesCommand({ ImageId: ami, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
    );
    const id = made.Instances?.[0]?.InstanceId ?? "";
    const env = file(`type: t3.micro\nimage: ${ami}\nadopt: [${id}]\nsnapshotBeforeChange: true`);

    const plan = await livePlan(env, endpoint);
    expect(actions(plan)).toEqual(["adopt instances.web[0]"]);
    expect(change(plan, "instances.web[0]").attributes).toEqual([]);
    await applyFile(env, endpoint);
    const live = await new EC2Client({ region: "us-west-1", endpoint }).send(
      new DescribeInstancesCommand({ InstanceIds: [id] }),
    );
    const tags = live.Reservations?.[0]?.Instances?.[0]?.Tags ?? [];
    expect(tags).toContainEqual({ Key: "parity:snapshot-before-change", Value: "true" });
    expect(actions(await livePlan(env, endpoint))).toEqual([]);
  });

  it("gives each member its own Name", async () => {
    const endpoint = emulator().endpoint;
    const ami = await amazonLinux(endpoint);
    const env = file(
      `count: 3\ntype: t3.micro\nimage: ${ami}\nnames: [chatmrpt-staging, chatmrpt-staging-b]`,
    );
    await applyFile(env, endpoint);
    expect(await namesByAddress(endpoint)).toEqual({
      "instances.web[0]": "chatmrpt-staging",
      "instances.web[1]": "chatmrpt-staging-b",
      "instances.web[2]": "chatmrpt-staging-3",
    });
    expect(actions(await livePlan(env, endpoint))).toEqual([]);
  });

  it("finds a missing key pair at plan time", async () => {
    const endpoint = emulator().endpoint;
    const ami = await amazonLinux(endpoint);
    await new EC2Client({ region: "us-west-1", endpoint }).send(
      new CreateKeyPairCommand({ KeyName: "fidtest-present" }),
    );
    await expect(
      planFile(file(`type: t3.micro\nimage: ${ami}\nkeyName: fidtest-absent`), endpoint),
    ).rejects.toThrow(/keyName: no key pair fidtest-absent in us-west-1/);
    const present = await livePlan(file(`type: t3.micro\nimage: ${ami}\nkeyName: fidtest-present`), endpoint);
    expect(actions(present)).toEqual(["create instances.web[0]"]);
  });
});
