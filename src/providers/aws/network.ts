import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { ParityError } from "../../model/index.js";
import type { NetworkSpec } from "../../model/index.js";
import type { Facts } from "../../engine/types.js";
import type { AwsContext } from "./context.js";

export type NetworkFacts = { vpcId: string; subnets: { id: string; az: string }[] };

/** Resolves `network: { vpc: default, subnets: default }` (or explicit ids) to real ids. */
export async function lookupNetwork(ctx: AwsContext, spec: NetworkSpec): Promise<NetworkFacts> {
  const vpcs = await ctx.ec2.send(
    new DescribeVpcsCommand(
      spec.vpc === "default"
        ? { Filters: [{ Name: "is-default", Values: ["true"] }] }
        : { VpcIds: [spec.vpc] },
    ),
  );
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  if (!vpcId) {
    throw new ParityError(
      spec.vpc === "default"
        ? `region ${ctx.region} has no default VPC`
        : `VPC ${spec.vpc} not found in ${ctx.region}`,
      "set network.vpc to an existing vpc-… id",
    );
  }
  const explicit = Array.isArray(spec.subnets) ? spec.subnets : undefined;
  const subnets = await ctx.ec2.send(
    new DescribeSubnetsCommand(
      explicit
        ? { SubnetIds: explicit }
        : {
            Filters: [
              { Name: "vpc-id", Values: [vpcId] },
              { Name: "default-for-az", Values: ["true"] },
            ],
          },
    ),
  );
  const found = (subnets.Subnets ?? [])
    .map((s) => ({ id: s.SubnetId ?? "", az: s.AvailabilityZone ?? "" }))
    .sort((a, b) => a.az.localeCompare(b.az) || a.id.localeCompare(b.id));
  if (found.length === 0)
    throw new ParityError(`no subnets found in ${vpcId}`, "set network.subnets to subnet ids");
  // Keep the file's order when subnets are explicit: it decides how instances are spread.
  if (explicit) found.sort((a, b) => explicit.indexOf(a.id) - explicit.indexOf(b.id));
  return { vpcId, subnets: found };
}

export function networkFacts(facts: Facts): NetworkFacts {
  const network = facts.network as NetworkFacts | undefined;
  if (!network) throw new Error("network facts were not looked up");
  return network;
}
