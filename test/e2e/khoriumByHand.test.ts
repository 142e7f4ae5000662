import { ACMClient, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { CloudFrontClient, CreateDistributionCommand, TagResourceCommand } from "@aws-sdk/client-cloudfront";
import type { CacheBehavior } from "@aws-sdk/client-cloudfront";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  AddTagsToResourceCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from "@aws-sdk/client-rds";
import {
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByNameCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { describe, expect, it } from "vitest";
import { seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { change, planFile, useMoto } from "../support/harness.js";
import { editFile, stageExample } from "../support/stage.js";

const { emulator } = useMoto();
const REGION = "us-west-1";
const FRONTEND = "muaz-mesh-web-staging.s3-website-us-west-1.amazonaws.com";

function custom(id: string, domain: string) {
  return {
    Id: id,
    DomainName: domain,
    CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" as const },
  };
}

const API_BEHAVIOR: CacheBehavior = {
  PathPattern: "/api/*",
  TargetOriginId: "api",
  ViewerProtocolPolicy: "redirect-to-https",
  Compress: true,
  AllowedMethods: {
    Quantity: 7,
    Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
  },
  ForwardedValues: {
    QueryString: true,
    Cookies: { Forward: "none" },
    Headers: { Quantity: 3, Items: ["Host", "Authorization", "Content-Type"] },
  },
  MinTTL: 0,
};

/**
 * The runbook's promotion done by hand on top of the before-state: the database group, the
 * staging database restored from a fresh snapshot of dev, the staging distribution, and
 * app.khorium.ai moved to it.
 */
async function promoteByHand(endpoint: string): Promise<{ distribution: string }> {
  const at = (region: string) => ({ region, endpoint });
  const ec2 = new EC2Client(at(REGION));
  const elb = new ElasticLoadBalancingV2Client(at(REGION));
  const rds = new RDSClient(at(REGION));
  const cloudfront = new CloudFrontClient(at("us-east-1"));
  const route53 = new Route53Client(at("us-east-1"));
  const acm = new ACMClient(at("us-east-1"));
  try {
    // aws ec2 create-security-group … && aws ec2 authorize-security-group-ingress --port 5432 --source-group …
    const alb = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: "group-name", Values: ["khorium-staging-alb-sg"] }],
      }),
    );
    const db = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "khorium-staging-db-sg",
        Description: "khorium staging database",
        VpcId: alb.SecurityGroups?.[0]?.VpcId,
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: db.GroupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 5432,
            ToPort: 5432,
            UserIdGroupPairs: [{ GroupId: alb.SecurityGroups?.[0]?.GroupId }],
          },
        ],
      }),
    );
    // aws rds create-db-snapshot, delete-db-instance (the empty one), restore-db-instance-from-db-snapshot
    await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: "khorium-webdev-db",
        DBSnapshotIdentifier: "khorium-webdev-db-promote",
      }),
    );
    await rds.send(
      new DeleteDBInstanceCommand({ DBInstanceIdentifier: "khorium-staging-db", SkipFinalSnapshot: true }),
    );
    const restored = await rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: "khorium-staging-db",
        DBSnapshotIdentifier: "khorium-webdev-db-promote",
        DBInstanceClass: "db.t3.micro",
        VpcSecurityGroupIds: [db.GroupId ?? ""],
      }),
    );
    // The team tags what it builds with its project, as the file's `tags` says.
    await rds.send(
      new AddTagsToResourceCommand({
        ResourceName: restored.DBInstance?.DBInstanceArn,
        Tags: [{ Key: "project", Value: "khorium" }],
      }),
    );
    // aws cloudfront create-distribution --distribution-config file://staging-cf.json
    const lbs = await elb.send(new DescribeLoadBalancersCommand({ Names: ["webdev-alb-stg"] }));
    const certs = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ["ISSUED"] }));
    const made = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "khorium-staging-site",
          Comment: "khorium staging",
          Enabled: true,
          Aliases: { Quantity: 1, Items: ["staging.khorium.ai"] },
          ViewerCertificate: {
            ACMCertificateArn: certs.CertificateSummaryList?.[0]?.CertificateArn,
            SSLSupportMethod: "sni-only",
            MinimumProtocolVersion: "TLSv1.2_2021",
          },
          Origins: {
            Quantity: 2,
            Items: [custom("frontend", FRONTEND), custom("api", lbs.LoadBalancers?.[0]?.DNSName ?? "")],
          },
          DefaultCacheBehavior: {
            TargetOriginId: "frontend",
            ViewerProtocolPolicy: "redirect-to-https",
            CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
            Compress: true,
          },
          CacheBehaviors: { Quantity: 1, Items: [API_BEHAVIOR] },
        },
      }),
    );
    await cloudfront.send(
      new TagResourceCommand({
        Resource: made.Distribution?.ARN,
        Tags: { Items: [{ Key: "project", Value: "khorium" }] },
      }),
    );
    const domain = made.Distribution?.DomainName ?? "";
    // aws route53 change-resource-record-sets: UPSERT app.khorium.ai → the staging distribution
    const zones = await route53.send(new ListHostedZonesByNameCommand({ DNSName: "khorium.ai" }));
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zones.HostedZones?.[0]?.Id,
        ChangeBatch: {
          Changes: [
            {
              Action: "UPSERT",
              ResourceRecordSet: {
                Name: "app.khorium.ai",
                Type: "A",
                AliasTarget: { DNSName: domain, HostedZoneId: "Z2FDTNDATAQYW2", EvaluateTargetHealth: false },
              },
            },
          ],
        },
      }),
    );
    return { distribution: made.Distribution?.Id ?? "" };
  } finally {
    for (const client of [ec2, elb, rds, cloudfront, route53, acm]) client.destroy();
  }
}

describe("the khorium promotion done by hand", () => {
  it("plans its distribution, database and cutover record as adopts with no attribute changes", async () => {
    const endpoint = emulator().endpoint;
    const ids = await seedKhorium(endpoint, REGION);
    const { distribution } = await promoteByHand(endpoint);
    const file = stageExample("khorium", "staging.yaml", ids);
    editFile(file, (text) =>
      text.replace(
        "restoreFrom: { snapshotOf: khorium-webdev-db }",
        "restoreFrom: { snapshotOf: khorium-webdev-db, alreadyRestored: true }",
      ),
    );

    const plan = await planFile(file, endpoint, { ...process.env, STAGING_DATABASE_URL: "postgres://x" });
    try {
      const site = change(plan.plan, "distributions.site");
      expect([site.action, site.id, site.attributes]).toEqual(["adopt", distribution, []]);
      const db = change(plan.plan, "databases.main");
      expect([db.action, db.attributes, db.risks]).toEqual(["adopt", [], []]);
      const record = change(plan.plan, "dns.records[app.khorium.ai/A]");
      expect([record.action, record.attributes, record.risks]).toEqual(["adopt", [], []]);
      expect(plan.plan.summary.replace).toBe(0);
    } finally {
      plan.ctx.destroy();
    }
  });
});
