import { ACMClient, ListCertificatesCommand } from "@aws-sdk/client-acm";
import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
} from "@aws-sdk/client-cloudfront";
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { ListBucketsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";

/**
 * Everything in the emulated account, counted by what identifies it to a person (a name, an
 * alias, a port), never by id: two inventories of the same converged state are equal, and a
 * duplicate shows as a count above the reference's. Backups (AMIs, snapshots) are listed apart:
 * a re-run may legitimately take another.
 */
export type Inventory = { resources: Map<string, number>; backups: Map<string, number> };

// Names that embed an id (an AMI made from instance i-…) differ from one seeding to the next.
const withoutIds = (key: string) => key.replace(/\b(i|sg|vpc|subnet|ami|snap|vol)-[0-9a-f]{8,17}\b/g, "$1-…");
const bump = (map: Map<string, number>, key: string, by = 1) =>
  map.set(withoutIds(key), (map.get(withoutIds(key)) ?? 0) + by);

export async function inventory(endpoint: string, region = "us-west-1"): Promise<Inventory> {
  const resources = new Map<string, number>();
  const backups = new Map<string, number>();
  const ec2 = new EC2Client({ region, endpoint });
  const elb = new ElasticLoadBalancingV2Client({ region, endpoint });
  const rds = new RDSClient({ region, endpoint });
  const s3 = new S3Client({ region, endpoint, forcePathStyle: true });
  const ssm = new SSMClient({ region, endpoint });
  const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
  const route53 = new Route53Client({ region: "us-east-1", endpoint });
  try {
    for (const g of (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [])
      if (g.GroupName !== "default") bump(resources, `security group ${g.GroupName}`);
    const reservations = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: "instance-state-name", Values: ["pending", "running"] }],
      }),
    );
    for (const i of (reservations.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      const tag = (key: string) => i.Tags?.find((t) => t.Key === key)?.Value;
      bump(resources, `instance ${tag("parity:address") ?? tag("Name") ?? "untagged"}`);
    }
    for (const image of (await ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images ?? [])
      bump(backups, `image ${image.Name}`);
    const snapshots = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }))).Snapshots ?? [];
    bump(backups, "volume snapshots", snapshots.length);

    for (const lb of (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []) {
      bump(resources, `load balancer ${lb.LoadBalancerName}`);
      const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
      for (const l of listeners.Listeners ?? []) bump(resources, `listener ${lb.LoadBalancerName}:${l.Port}`);
    }
    for (const tg of (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []) {
      bump(resources, `target group ${tg.TargetGroupName}`);
      const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
      bump(resources, `targets of ${tg.TargetGroupName}`, health.TargetHealthDescriptions?.length ?? 0);
    }

    for (const db of (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [])
      bump(resources, `database ${db.DBInstanceIdentifier}`);
    const dbSnapshots = (await rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? [];
    bump(backups, "database snapshots", dbSnapshots.length);

    for (const bucket of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
      bump(resources, `bucket ${bucket.Name}`);
      const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket.Name }));
      bump(resources, `objects in ${bucket.Name}`, objects.KeyCount ?? 0);
    }

    let NextToken: string | undefined;
    do {
      const page = await ssm.send(new DescribeParametersCommand({ ...(NextToken ? { NextToken } : {}) }));
      for (const p of page.Parameters ?? [])
        if (!p.Name?.startsWith("/parity/")) bump(resources, `parameter ${p.Name}`);
      NextToken = page.NextToken;
    } while (NextToken);

    for (const d of (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? []) {
      // The list lacks aliases and comments in moto; the configuration has them.
      const config = await cloudfront.send(new GetDistributionConfigCommand({ Id: d.Id }));
      const aliases = config.DistributionConfig?.Aliases?.Items?.join(",") ?? "";
      bump(resources, `distribution ${aliases || config.DistributionConfig?.Comment || "unnamed"}`);
    }
    for (const zone of (await route53.send(new ListHostedZonesCommand({}))).HostedZones ?? []) {
      bump(resources, `zone ${zone.Name}`);
      const records = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }));
      for (const r of records.ResourceRecordSets ?? [])
        if (r.Type !== "SOA" && r.Type !== "NS") bump(resources, `record ${r.Name} ${r.Type}`);
    }
    for (const certRegion of new Set([region, "us-east-1"])) {
      const acm = new ACMClient({ region: certRegion, endpoint });
      try {
        for (const c of (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [])
          bump(resources, `certificate ${c.DomainName} in ${certRegion}`);
      } finally {
        acm.destroy();
      }
    }
  } finally {
    for (const client of [ec2, elb, rds, s3, ssm, cloudfront, route53]) client.destroy();
  }
  return { resources, backups };
}

type Counts = Map<string, number>;

function compare(reference: Counts, actual: Counts, keep: (want: number, got: number) => boolean): string[] {
  const keys = [...new Set([...reference.keys(), ...actual.keys()])].sort();
  return keys
    .filter((key) => keep(reference.get(key) ?? 0, actual.get(key) ?? 0))
    .map((key) => `${key}: ${actual.get(key) ?? 0}, expected ${reference.get(key) ?? 0}`);
}

/**
 * How `actual` differs from a converged `reference`: more of something it has (a duplicate),
 * something it never had, less of something (missing), and backups beyond its count.
 */
export function compareInventories(
  reference: Inventory,
  actual: Inventory,
): { duplicates: string[]; unexpected: string[]; missing: string[]; extraBackups: string[] } {
  const { resources: want } = reference;
  const { resources: got } = actual;
  return {
    duplicates: compare(want, got, (w, g) => w > 0 && g > w),
    unexpected: compare(want, got, (w, g) => w === 0 && g > 0),
    missing: compare(want, got, (w, g) => g < w),
    extraBackups: compare(reference.backups, actual.backups, (w, g) => g > w),
  };
}
