import { ACMClient, RequestCertificateCommand } from "@aws-sdk/client-acm";
import { CloudFrontClient, CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { CreateSecurityGroupCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateReplicationGroupCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import {
  CreateLoadBalancerCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { CreateBucketCommand, PutBucketWebsiteCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exportThenPlan, expectOnlyAdopts } from "../support/exportTrip.js";
import { useMoto } from "../support/harness.js";
import { defaultNetwork } from "../support/network.js";

const { emulator } = useMoto();
const REGION = "us-west-1";

describe("parity export of the edge and the data kinds", () => {
  it("buckets, distributions and DNS: origins and aliases become addresses", async () => {
    const { endpoint } = emulator();
    const ec2 = new EC2Client({ region: REGION, endpoint });
    const s3 = new S3Client({ region: REGION, endpoint, forcePathStyle: true });
    const elb = new ElasticLoadBalancingV2Client({ region: REGION, endpoint });
    const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
    const route53 = new Route53Client({ region: "us-east-1", endpoint });
    const { vpc, subnets } = await defaultNetwork(ec2);
    // As `aws s3 mb` and `aws s3 website --index-document index.html` make it.
    await s3.send(
      new CreateBucketCommand({
        Bucket: "shop-site-web",
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: "shop-site-web",
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "shop-site-alb-sg", Description: "alb", VpcId: vpc }),
    );
    const lb = await elb.send(
      new CreateLoadBalancerCommand({
        Name: "shop-site-alb",
        Subnets: subnets,
        SecurityGroups: [group.GroupId ?? ""],
      }),
    );
    const certificate = await new ACMClient({ region: "us-east-1", endpoint }).send(
      new RequestCertificateCommand({ DomainName: "*.shop.example", ValidationMethod: "DNS" }),
    );
    const made = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "shop-site",
          Comment: "shop site",
          Enabled: true,
          Aliases: { Quantity: 1, Items: ["site.shop.example"] },
          ViewerCertificate: {
            ACMCertificateArn: certificate.CertificateArn,
            SSLSupportMethod: "sni-only",
            MinimumProtocolVersion: "TLSv1.2_2021",
          },
          Origins: {
            Quantity: 2,
            Items: [
              {
                Id: "frontend",
                DomainName: `shop-site-web.s3-website-${REGION}.amazonaws.com`,
                CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
              },
              {
                Id: "api",
                DomainName: lb.LoadBalancers?.[0]?.DNSName,
                CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
              },
            ],
          },
          DefaultCacheBehavior: {
            TargetOriginId: "frontend",
            ViewerProtocolPolicy: "redirect-to-https",
            CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
            Compress: true,
          },
          CacheBehaviors: {
            Quantity: 1,
            Items: [
              {
                PathPattern: "/api/*",
                TargetOriginId: "api",
                ViewerProtocolPolicy: "redirect-to-https",
                AllowedMethods: {
                  Quantity: 7,
                  Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                  CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
                },
                ForwardedValues: {
                  QueryString: true,
                  Cookies: { Forward: "all" },
                  Headers: { Quantity: 2, Items: ["Host", "Authorization"] },
                },
                MinTTL: 0,
                DefaultTTL: 0,
                MaxTTL: 0,
                Compress: true,
              },
            ],
          },
        },
      }),
    );
    const zone = await route53.send(
      new CreateHostedZoneCommand({ Name: "shop.example", CallerReference: "shop-zone" }),
    );
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZone?.Id,
        ChangeBatch: {
          Changes: [
            {
              Action: "UPSERT",
              ResourceRecordSet: {
                Name: "site.shop.example",
                Type: "A",
                AliasTarget: {
                  DNSName: made.Distribution?.DomainName,
                  HostedZoneId: "Z2FDTNDATAQYW2",
                  EvaluateTargetHealth: false,
                },
              },
            },
            {
              Action: "UPSERT",
              ResourceRecordSet: {
                Name: "www.shop.example",
                Type: "CNAME",
                TTL: 600,
                ResourceRecords: [{ Value: "site.shop.example" }],
              },
            },
          ],
        },
      }),
    );

    const trip = await exportThenPlan(endpoint, [
      "--environment",
      "site",
      "--select",
      "dns:*.shop.example",
      "--follow",
    ]);
    const written = parse(trip.text);
    const [key] = Object.keys(written.distributions);
    expect(written.dns.records).toEqual([
      { name: "site.shop.example", type: "A", alias: `distributions.${key}` },
      { name: "www.shop.example", type: "CNAME", values: ["site.shop.example"], ttl: 600 },
    ]);
    const site = written.distributions[key ?? ""];
    expect(site.certificate).toEqual({ domain: "*.shop.example" });
    expect(site.origins.frontend.domain).toMatch(/^\$\{buckets\.\w+\.websiteDomain\}$/);
    expect(site.origins.api.domain).toMatch(/^\$\{loadBalancers\.\w+\.dnsName\}$/);
    expect(site.behaviors).toEqual([
      {
        path: "/api/*",
        origin: "api",
        allowedMethods: "all",
        // Cookies and the query string are forwarded: CloudFront's defaults, so left out.
        forwardHeaders: ["Authorization", "Host"],
      },
    ]);
    expect(written.buckets.web).toEqual({ name: "shop-site-web", website: { indexDocument: "index.html" } });
    expectOnlyAdopts(trip, [
      "buckets.web",
      `distributions.${key}`,
      "dns.records[site.shop.example/A]",
      "dns.records[www.shop.example/CNAME]",
      "loadBalancers.alb",
      "securityGroups.alb",
    ]);
  });

  it("databases and caches, with the security groups they sit in", async () => {
    const { endpoint } = emulator();
    const ec2 = new EC2Client({ region: REGION, endpoint });
    const rds = new RDSClient({ region: REGION, endpoint });
    const { vpc } = await defaultNetwork(ec2);
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "shop-prod-db-sg", Description: "db", VpcId: vpc }),
    );
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "shop-prod-db",
        Engine: "postgres",
        EngineVersion: "16.3",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 50,
        MasterUsername: "shop",
        MasterUserPassword: "not-a-secret-here",
        VpcSecurityGroupIds: [group.GroupId ?? ""],
        BackupRetentionPeriod: 7,
      }),
    );
    await new ElastiCacheClient({ region: REGION, endpoint }).send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "shop-prod-redis",
        ReplicationGroupDescription: "sessions",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        ReplicasPerNodeGroup: 1,
      }),
    );
    const trip = await exportThenPlan(endpoint, [
      "--environment",
      "prod",
      "--select",
      "databases:shop-prod-*",
      "--select",
      "caches:shop-prod-*",
      "--follow",
    ]);
    const written = parse(trip.text);
    const live = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "shop-prod-db" }));
    expect(written.databases.db).toMatchObject({
      identifier: "shop-prod-db",
      engine: "postgres",
      engineVersion: live.DBInstances?.[0]?.EngineVersion,
      allocatedStorageGb: 50,
      backupRetentionDays: 7,
      securityGroups: ["securityGroups.db"],
    });
    expect(written.caches.redis).toMatchObject({
      id: "shop-prod-redis",
      nodeType: "cache.t3.micro",
      replicas: 1,
    });
    expectOnlyAdopts(trip, ["caches.redis", "databases.db", "securityGroups.db"]);
  });
});
