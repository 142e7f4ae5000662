import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";

/** Shared by the lock tests: the `locktest` environment's lock, and what it created. */
export const LOCK = "/parity/locks/locktest/us-west-1";

/** Enough groups, created one at a time, that an apply is still walking when we interfere. */
export function manyGroups(n: number): string {
  const groups = Array.from(
    { length: n },
    (_, i) => `  g${i}:\n    name: locktest-g${i}\n    ingress: [{ port: ${8000 + i}, cidr: 10.0.0.0/8 }]`,
  );
  return `environment: locktest\nregion: us-west-1\nsecurityGroups:\n${groups.join("\n")}\n`;
}

export const ssm = (endpoint: string) => new SSMClient({ region: "us-west-1", endpoint });

export async function lockValue(endpoint: string): Promise<string | undefined> {
  try {
    const got = await ssm(endpoint).send(new GetParameterCommand({ Name: LOCK }));
    return got.Parameter?.Value;
  } catch (error) {
    if ((error as Error).name === "ParameterNotFound") return undefined;
    throw error;
  }
}

export async function namesLike(endpoint: string, prefix: string): Promise<string[]> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [`${prefix}*`] }] }),
  );
  return (found.SecurityGroups ?? []).map((g) => g.GroupName ?? "").sort();
}

export const groupNames = (endpoint: string) => namesLike(endpoint, "locktest-");
