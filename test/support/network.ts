import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import type { EC2Client } from "@aws-sdk/client-ec2";

/** The region's default VPC and two of its subnets, as `aws ec2 describe-vpcs/describe-subnets` show them. */
export async function defaultNetwork(ec2: EC2Client): Promise<{ vpc: string; subnets: string[] }> {
  const vpcs = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
  );
  const vpc = vpcs.Vpcs?.[0]?.VpcId ?? "";
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }),
  );
  return { vpc, subnets: (subnets.Subnets ?? []).map((s) => s.SubnetId ?? "").slice(0, 2) };
}
