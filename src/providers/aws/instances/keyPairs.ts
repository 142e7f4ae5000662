import { DescribeKeyPairsCommand } from "@aws-sdk/client-ec2";
import type { Facts } from "../../../engine/types.js";
import type { DesiredNode } from "../../../model/index.js";
import { stringList } from "../common/readers.js";
import type { AwsContext } from "../context.js";
import { memberSpec } from "./schema.js";

/** Facts key for the region's key pair names, read when some member names one. */
export const KEY_PAIRS = "instanceKeyPairs";

/** One DescribeKeyPairs for the region (an account holds few), so a missing key shows at plan time. */
export async function lookupKeyPairs(ctx: AwsContext, nodes: DesiredNode[]): Promise<Facts> {
  if (!nodes.some((node) => memberSpec(node).keyName !== undefined)) return {};
  const found = await ctx.ec2.send(new DescribeKeyPairsCommand({}));
  return { [KEY_PAIRS]: (found.KeyPairs ?? []).map((k) => k.KeyName ?? "").filter(Boolean) };
}

/** Why a member that would launch with `keyName` cannot: the key pair is not in the region. */
export function missingKeyPair(
  keyName: string,
  facts: Facts,
  region: string,
): { message: string; hint: string } | undefined {
  if (!(KEY_PAIRS in facts) || stringList(facts[KEY_PAIRS]).includes(keyName)) return undefined;
  return {
    message: `keyName: no key pair ${keyName} in ${region}`,
    hint: `create or import it first (aws ec2 import-key-pair --key-name ${keyName} --region ${region} …)`,
  };
}
