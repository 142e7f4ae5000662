import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import { AwsContext } from "../../src/providers/aws/context.js";
import { lookupNetwork } from "../../src/providers/aws/network.js";
import type { NetworkFacts } from "../../src/providers/aws/network.js";
import { useMoto } from "../support/harness.js";
import { defaultNetwork } from "../support/network.js";

const { emulator } = useMoto();

const env: EnvironmentInfo = { environment: "nettest", region: "us-west-1", tags: {}, secrets: {} };

/** The network a file's spec resolves to, and the EC2 calls it took. */
async function resolved(spec: { vpc: string; subnets: string | string[] }) {
  const calls: string[] = [];
  const ctx = new AwsContext(
    { region: "us-west-1", endpoint: emulator().endpoint, onCall: (_service, op) => calls.push(op) },
    env,
  );
  try {
    const network: NetworkFacts = await lookupNetwork(ctx, spec);
    return { network, calls: calls.sort() };
  } finally {
    ctx.destroy();
  }
}

function ec2(): EC2Client {
  return new EC2Client({ region: "us-west-1", endpoint: emulator().endpoint });
}

async function defaultSubnetIds(): Promise<string[]> {
  const found = await ec2().send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
  );
  return (found.Subnets ?? []).map((s) => s.SubnetId ?? "").sort();
}

describe("network lookup", () => {
  it("resolves the default VPC and its default subnets with one DescribeSubnets", async () => {
    const { vpc } = await defaultNetwork(ec2());
    const { network, calls } = await resolved({ vpc: "default", subnets: "default" });
    expect(calls).toEqual(["DescribeSubnets"]);
    expect(network.vpcId).toBe(vpc);
    expect(network.subnets.map((s) => s.id).sort()).toEqual(await defaultSubnetIds());
  });

  it("resolves a named VPC's default subnets with one DescribeSubnets", async () => {
    const { vpc } = await defaultNetwork(ec2());
    const { network, calls } = await resolved({ vpc, subnets: "default" });
    expect(calls).toEqual(["DescribeSubnets"]);
    expect(network.vpcId).toBe(vpc);
    expect(network.subnets.map((s) => s.id).sort()).toEqual(await defaultSubnetIds());
  });

  it("reads named subnets of a named VPC in one call, in the file's order", async () => {
    const { vpc, subnets } = await defaultNetwork(ec2());
    const reversed = [...subnets].reverse();
    const { network, calls } = await resolved({ vpc, subnets: reversed });
    expect(calls).toEqual(["DescribeSubnets"]);
    expect(network).toEqual({ vpcId: vpc, subnets: reversed.map((id) => expect.objectContaining({ id })) });
  });

  it("reads the default VPC alongside named subnets, since a subnet cannot say its VPC is the default", async () => {
    const { vpc, subnets } = await defaultNetwork(ec2());
    const { network, calls } = await resolved({ vpc: "default", subnets });
    expect(calls).toEqual(["DescribeSubnets", "DescribeVpcs"]);
    expect(network.vpcId).toBe(vpc);
    expect(network.subnets.map((s) => s.id)).toEqual(subnets);
  });

  it("refuses a named subnet of another VPC, naming both", async () => {
    const { vpc } = await defaultNetwork(ec2());
    const other = await ec2().send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }));
    const otherVpc = other.Vpc?.VpcId ?? "";
    const made = await ec2().send(new CreateSubnetCommand({ VpcId: otherVpc, CidrBlock: "10.40.1.0/24" }));
    const stray = made.Subnet?.SubnetId ?? "";
    await expect(resolved({ vpc: "default", subnets: [stray] })).rejects.toThrow(
      `subnet ${stray} is in ${otherVpc}, not in ${vpc}`,
    );
    await expect(resolved({ vpc, subnets: [stray] })).rejects.toThrow(
      `subnet ${stray} is in ${otherVpc}, not in ${vpc}`,
    );
  });

  it("says a VPC without default subnets has none, after checking the VPC exists", async () => {
    const made = await ec2().send(new CreateVpcCommand({ CidrBlock: "10.50.0.0/16" }));
    const vpc = made.Vpc?.VpcId ?? "";
    await expect(resolved({ vpc, subnets: "default" })).rejects.toThrow(`no subnets found in ${vpc}`);
  });
});
