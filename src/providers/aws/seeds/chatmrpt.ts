/**
 * The chatmrpt "before" state: staging is one hand-made instance reached by IP, in a security group
 * open to the world; production (two instances behind a sticky ALB, and its Redis `chatmrpt-redis`,
 * all made by hand) is in the same account, which is how staging came to share its Redis. Creates it against any endpoint (a local emulator, or a sandbox account):
 *
 *   npx tsx examples/chatmrpt/before.ts --endpoint-url http://127.0.0.1:5000
 *
 * Returns the ids the example file names, so the demo can substitute the real ones.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { CreateReplicationGroupCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { seedChatmrptProduction } from "./chatmrptProduction.js";

/** Production's cache, which staging must stop using. */
export const PRODUCTION_CACHE_ID = "chatmrpt-redis";

/** The instance id written in examples/chatmrpt/staging.yaml. */
export const EXAMPLE_INSTANCE_ID = "i-0a1b2c3d4e5f60718";

export async function seedChatmrpt(
  endpoint: string | undefined,
  region = "us-west-1",
): Promise<Record<string, string>> {
  const config = { region, ...(endpoint ? { endpoint } : {}) };
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient(config);
  const elasticache = new ElastiCacheClient(config);
  try {
    const vpcs = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
    );
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    const image = await ssm.send(
      new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
    );
    await ec2.send(new CreateKeyPairCommand({ KeyName: "chatmrpt-staging-key" }));
    const group = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "chatmrpt-staging-sg",
        Description: "chatmrpt staging",
        VpcId: vpcId,
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group.GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
          { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image.Parameter?.Value,
        InstanceType: "t3.micro",
        KeyName: "chatmrpt-staging-key",
        SecurityGroupIds: [group.GroupId ?? ""],
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "chatmrpt-staging" }] }],
      }),
    );
    // As `aws elasticache create-replication-group` made it for production, untagged.
    await elasticache.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: PRODUCTION_CACHE_ID,
        ReplicationGroupDescription: "chatmrpt production sessions",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        ReplicasPerNodeGroup: 1,
      }),
    );
    const instanceId = run.Instances?.[0]?.InstanceId ?? "";
    const production = await seedChatmrptProduction(
      { ec2, ssm, elasticache, config },
      vpcId ?? "",
      image.Parameter?.Value ?? "",
      PRODUCTION_CACHE_ID,
    );
    return { [EXAMPLE_INSTANCE_ID]: instanceId, ...production };
  } finally {
    ec2.destroy();
    ssm.destroy();
    elasticache.destroy();
  }
}
