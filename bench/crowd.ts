import { CloudFrontClient, CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { CreateHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import pLimit from "p-limit";

/** What the bench sets up by hand, the way people do with the `aws` CLI, before a tool runs. */
const region = "us-west-1";
const config = (endpoint: string) => ({ region, endpoint });

/** An AMI moto knows (it validates them): the first Amazon Linux image it lists. */
export async function anImage(endpoint: string): Promise<string> {
  const ec2 = new EC2Client(config(endpoint));
  const found = await ec2.send(
    new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["amzn2-ami-hvm-*"] }] }),
  );
  ec2.destroy();
  const image = found.Images?.[0]?.ImageId;
  if (!image) throw new Error("moto lists no amzn2 image");
  return image;
}

/** `aws route53 create-hosted-zone`: the zone the workload's alias lives in exists beforehand. */
export async function createZone(endpoint: string, zone: string): Promise<void> {
  const route53 = new Route53Client({ region: "us-east-1", endpoint });
  await route53.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: `bench-${zone}` }));
  route53.destroy();
}

export type Crowd = { buckets: number; distributions: number; instances: number; parameters: number };

export const CROWD: Crowd = { buckets: 300, distributions: 50, instances: 500, parameters: 1000 };

/** Fills the account with resources no environment owns: a plan must not pay for them. */
export async function crowdAccount(endpoint: string, image: string, crowd: Crowd = CROWD): Promise<void> {
  const s3 = new S3Client({ ...config(endpoint), forcePathStyle: true });
  const ssm = new SSMClient(config(endpoint));
  const ec2 = new EC2Client(config(endpoint));
  const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
  const limit = pLimit(16);
  const times = (n: number, make: (i: number) => Promise<unknown>) =>
    Promise.all(Array.from({ length: n }, (_, i) => limit(() => make(i))));
  await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      InstanceType: "t3.micro",
      MinCount: crowd.instances,
      MaxCount: crowd.instances,
    }),
  );
  await times(crowd.buckets, (i) =>
    s3.send(
      new CreateBucketCommand({
        Bucket: `crowd-bucket-${i}`,
        CreateBucketConfiguration: { LocationConstraint: region },
      }),
    ),
  );
  await times(crowd.parameters, (i) =>
    ssm.send(new PutParameterCommand({ Name: `/crowd/p${i}`, Value: `v${i}`, Type: "String" })),
  );
  await times(crowd.distributions, (i) =>
    cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: `crowd-${i}`,
          Comment: `crowd ${i}`,
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: `crowd-${i}.example.com` }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" },
        },
      }),
    ),
  );
  for (const client of [s3, ssm, ec2, cloudfront]) client.destroy();
}
