/**
 * The khorium "before" state. Dev is complete (ALB, CloudFront serving app.khorium.ai, a database
 * with data, an assets bucket with objects, *.khorium.ai certificates in us-west-1 and us-east-1);
 * staging lags (an HTTP-only ALB and target group, an empty database, an instance whose .env is
 * edited over SSH). Creates it against any
 * endpoint:
 *
 *   npx tsx examples/khorium/before.ts --endpoint-url http://127.0.0.1:5000
 *
 * Returns the values the example file names, so the demo can substitute the real ones.
 */
import { ACMClient, RequestCertificateCommand } from "@aws-sdk/client-acm";
import { CloudFrontClient, CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import {
  CreateSecurityGroupCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateDBInstanceCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";

/** The old distribution's domain as written in the rollback comment of examples/khorium/staging.yaml. */
export const EXAMPLE_OLD_DISTRIBUTION = "d1234abcd.cloudfront.net";
/** The hand-made staging instance (gunicorn behind the ALB) as examples/khorium/staging.yaml names it. */
export const EXAMPLE_STAGING_INSTANCE = "i-0c0ffee5a1b2c3d4e";
const REGION = "us-west-1";

export async function seedKhorium(
  endpoint: string | undefined,
  region = REGION,
): Promise<Record<string, string>> {
  const at = (r: string) => ({ region: r, ...(endpoint ? { endpoint } : {}) });
  const ec2 = new EC2Client(at(region));
  const elb = new ElasticLoadBalancingV2Client(at(region));
  const rds = new RDSClient(at(region));
  const s3 = new S3Client({ ...at(region), forcePathStyle: true });
  const cloudfront = new CloudFrontClient(at("us-east-1"));
  const route53 = new Route53Client(at("us-east-1"));
  const acmHere = new ACMClient(at(region));
  const acmEast = new ACMClient(at("us-east-1"));
  const ssm = new SSMClient(at(region));
  try {
    const vpcs = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
    );
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId ?? ""] }] }),
    );
    const subnetIds = (subnets.Subnets ?? []).map((s) => s.SubnetId ?? "").slice(0, 2);

    // Certificates for *.khorium.ai in both regions: the ALB's region and CloudFront's us-east-1.
    const certificateArns: string[] = [];
    for (const acm of [acmHere, acmEast]) {
      const requested = await acm.send(
        new RequestCertificateCommand({
          DomainName: "*.khorium.ai",
          SubjectAlternativeNames: ["khorium.ai"],
          ValidationMethod: "DNS",
        }),
      );
      certificateArns.push(requested.CertificateArn ?? "");
    }

    // Dev: ALB + target group, a database with data, the assets bucket, CloudFront on app.khorium.ai.
    const devAlb = await createAlb(
      ec2,
      elb,
      vpcId,
      subnetIds,
      "khorium-webdev",
      "khorium-webdev-alb",
      "khorium-webdev-tg",
    );
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "khorium-webdev-db",
        Engine: "postgres",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 20,
        MasterUsername: "khorium",
        MasterUserPassword: "dev-password-not-secret",
      }),
    );
    await s3.send(
      new CreateBucketCommand({
        Bucket: "muaz-webdev-assets",
        CreateBucketConfiguration: { LocationConstraint: "us-west-1" },
      }),
    );
    for (let i = 0; i < 40; i++) {
      await s3.send(
        new PutObjectCommand({
          Bucket: "muaz-webdev-assets",
          Key: `uploads/${String(i).padStart(3, "0")}.png`,
          Body: Buffer.alloc(1024 + i * 100, i),
          ContentType: "image/png",
        }),
      );
    }
    const old = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "khorium-webdev-site",
          Comment: "khorium dev",
          Enabled: true,
          Aliases: { Quantity: 1, Items: ["app.khorium.ai"] },
          // CloudFront serves an alias only with a certificate for it, from us-east-1; dev's was made
          // before the TLS 1.2 policy.
          ViewerCertificate: {
            ACMCertificateArn: certificateArns[1],
            SSLSupportMethod: "sni-only",
            MinimumProtocolVersion: "TLSv1",
          },
          Origins: {
            Quantity: 1,
            Items: [
              {
                Id: "api",
                DomainName: devAlb,
                CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
              },
            ],
          },
          DefaultCacheBehavior: {
            TargetOriginId: "api",
            ViewerProtocolPolicy: "redirect-to-https",
            ForwardedValues: { QueryString: true, Cookies: { Forward: "all" } },
            MinTTL: 0,
          },
        },
      }),
    );
    const oldDomain = old.Distribution?.DomainName ?? "";

    // DNS: app.khorium.ai points at dev's distribution today.
    const zone = await route53.send(
      new CreateHostedZoneCommand({ Name: "khorium.ai", CallerReference: "khorium-zone" }),
    );
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZone?.Id,
        ChangeBatch: {
          Changes: [
            {
              Action: "UPSERT",
              ResourceRecordSet: {
                Name: "app.khorium.ai",
                Type: "A",
                AliasTarget: {
                  DNSName: oldDomain,
                  HostedZoneId: "Z2FDTNDATAQYW2",
                  EvaluateTargetHealth: false,
                },
              },
            },
          ],
        },
      }),
    );

    // Staging: an HTTP-only ALB and target group, and an empty database.
    await createAlb(ec2, elb, vpcId, subnetIds, "khorium-staging", "webdev-alb-stg", "webdev-app-tg-stg");
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "khorium-staging-db",
        Engine: "postgres",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 20,
        MasterUsername: "khorium",
        MasterUserPassword: "staging-password-not-secret",
      }),
    );
    // The staging instance the runbook SSHes into to edit .env and restart gunicorn.
    const image = await ssm.send(
      new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
    );
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: image.Parameter?.Value,
        InstanceType: "t3.micro",
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "khorium-staging" }] }],
      }),
    );
    const instance = launched.Instances?.[0]?.InstanceId ?? "";
    return { [EXAMPLE_OLD_DISTRIBUTION]: oldDomain, [EXAMPLE_STAGING_INSTANCE]: instance };
  } finally {
    for (const client of [ec2, elb, rds, s3, cloudfront, route53, acmHere, acmEast, ssm]) client.destroy();
  }
}

/** An ALB with an HTTP:80 listener forwarding to a target group on 8080; returns its DNS name. */
async function createAlb(
  ec2: EC2Client,
  elb: ElasticLoadBalancingV2Client,
  vpcId: string | undefined,
  subnetIds: string[],
  prefix: string,
  albName: string,
  tgName: string,
): Promise<string> {
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `${prefix}-alb-sg`,
      Description: `${prefix} load balancer`,
      VpcId: vpcId,
    }),
  );
  const tg = await elb.send(
    new CreateTargetGroupCommand({
      Name: tgName,
      Port: 8080,
      Protocol: "HTTP",
      VpcId: vpcId,
      HealthCheckPath: "/api/health",
    }),
  );
  const alb = await elb.send(
    new CreateLoadBalancerCommand({
      Name: albName,
      Subnets: subnetIds,
      SecurityGroups: [group.GroupId ?? ""],
      Type: "application",
    }),
  );
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: alb.LoadBalancers?.[0]?.LoadBalancerArn,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "forward", TargetGroupArn: tg.TargetGroups?.[0]?.TargetGroupArn }],
    }),
  );
  return alb.LoadBalancers?.[0]?.DNSName ?? "";
}
