import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import type { DescribeSubnetsCommandInput, Subnet } from "@aws-sdk/client-ec2";
import { ParityError } from "../../model/index.js";
import type { NetworkSpec } from "../../model/index.js";
import type { Facts } from "../../engine/types.js";
import type { AwsContext } from "./context.js";

export type NetworkFacts = { vpcId: string; subnets: { id: string; az: string }[] };

/** The declared VPC's id (DescribeVpcs), or the error that says it does not exist. */
async function declaredVpc(ctx: AwsContext, spec: NetworkSpec): Promise<string> {
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
  return vpcId;
}

function subnetQuery(spec: NetworkSpec, explicit: string[] | undefined): DescribeSubnetsCommandInput {
  if (explicit) return { SubnetIds: explicit };
  const defaults = { Name: "default-for-az", Values: ["true"] };
  // Default subnets exist only in the default VPC: the filter alone finds them and their VPC.
  return {
    Filters: spec.vpc === "default" ? [defaults] : [{ Name: "vpc-id", Values: [spec.vpc] }, defaults],
  };
}

type SubnetAnswer = { subnets: Subnet[] } | { error: unknown };

async function readSubnets(ctx: AwsContext, query: DescribeSubnetsCommandInput): Promise<SubnetAnswer> {
  try {
    return { subnets: (await ctx.ec2.send(new DescribeSubnetsCommand(query))).Subnets ?? [] };
  } catch (error) {
    return { error };
  }
}

/** The one VPC the subnets are in, when they agree on one. */
function soleVpc(subnets: Subnet[]): string | undefined {
  const vpcs = new Set(subnets.map((s) => s.VpcId));
  const [only] = vpcs;
  return vpcs.size === 1 ? only : undefined;
}

/**
 * Resolves `network: { vpc: default, subnets: default }` (or explicit ids) to real ids with one
 * DescribeSubnets: the subnets carry their VPC's id. DescribeVpcs runs too only where a subnet
 * cannot tell (explicit subnets in the default VPC: at the same time), or when the answer is
 * empty or wrong, so a missing VPC is reported as such rather than as missing subnets.
 */
export async function lookupNetwork(ctx: AwsContext, spec: NetworkSpec): Promise<NetworkFacts> {
  const explicit = Array.isArray(spec.subnets) ? spec.subnets : undefined;
  const [known, answer] = await Promise.all([
    explicit && spec.vpc === "default" ? declaredVpc(ctx, spec) : undefined,
    readSubnets(ctx, subnetQuery(spec, explicit)),
  ]);
  const listed = "subnets" in answer ? answer.subnets : [];
  const expected = known ?? (spec.vpc === "default" ? soleVpc(listed) : spec.vpc);
  const fits = listed.length > 0 && listed.every((s) => s.VpcId === expected);
  const vpcId = expected !== undefined && fits ? expected : (known ?? (await declaredVpc(ctx, spec)));
  if ("error" in answer) throw answer.error;
  // Without a file's list (default subnets), only the default VPC's count, whatever came back.
  const inVpc = explicit ? listed : listed.filter((s) => s.VpcId === vpcId);
  const stray = inVpc.find((s) => s.VpcId !== vpcId);
  if (stray)
    throw new ParityError(
      `subnet ${stray.SubnetId ?? ""} is in ${stray.VpcId ?? "another VPC"}, not in ${vpcId}`,
      "list subnets of network.vpc in network.subnets",
    );
  const found = inVpc
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
