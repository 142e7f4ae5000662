import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import type { Subnet, Vpc } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { AwsContext } from "../../src/providers/aws/context.js";
import { lookupNetwork } from "../../src/providers/aws/network.js";

/** An account as EC2 answers for it: these VPCs and these subnets, whatever the filter. */
function account(vpcs: Vpc[], subnets: Subnet[] | Error) {
  const asked: string[] = [];
  const ctx = {
    region: "us-west-1",
    ec2: {
      send: async (command: object) => {
        if (command instanceof DescribeVpcsCommand) {
          asked.push("DescribeVpcs");
          return { Vpcs: vpcs };
        }
        asked.push("DescribeSubnets");
        if (subnets instanceof Error) throw subnets;
        return { Subnets: subnets };
      },
    },
  } as unknown as AwsContext;
  return { ctx, asked };
}

describe("network lookup errors", () => {
  it("says the region has no default VPC when no default subnet comes back and no default VPC exists", async () => {
    const { ctx, asked } = account([], []);
    await expect(lookupNetwork(ctx, { vpc: "default", subnets: "default" })).rejects.toThrow(
      "region us-west-1 has no default VPC",
    );
    expect(asked).toEqual(["DescribeSubnets", "DescribeVpcs"]);
  });

  it("says a named VPC is not found before saying it has no subnets", async () => {
    const { ctx } = account([], []);
    await expect(lookupNetwork(ctx, { vpc: "vpc-1", subnets: "default" })).rejects.toThrow(
      "VPC vpc-1 not found in us-west-1",
    );
  });

  it("says a VPC that exists has no subnets", async () => {
    const { ctx } = account([{ VpcId: "vpc-1" }], []);
    await expect(lookupNetwork(ctx, { vpc: "default", subnets: "default" })).rejects.toThrow(
      "no subnets found in vpc-1",
    );
  });

  it("reports a missing VPC rather than the subnet error it caused", async () => {
    const { ctx } = account([], new Error("The subnet ID 'subnet-9' does not exist"));
    await expect(lookupNetwork(ctx, { vpc: "vpc-1", subnets: ["subnet-9"] })).rejects.toThrow(
      "VPC vpc-1 not found in us-west-1",
    );
  });

  it("passes EC2's subnet error on when the VPC exists", async () => {
    const { ctx } = account([{ VpcId: "vpc-1" }], new Error("The subnet ID 'subnet-9' does not exist"));
    await expect(lookupNetwork(ctx, { vpc: "vpc-1", subnets: ["subnet-9"] })).rejects.toThrow(
      "The subnet ID 'subnet-9' does not exist",
    );
  });
});
