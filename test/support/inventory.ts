import {
  CloudFrontClient,
  GetDistributionCommand,
  ListDistributionsCommand,
} from "@aws-sdk/client-cloudfront";
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import type { Tag } from "@aws-sdk/client-ec2";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";

/** How many live resources there are of each kind and name: `"loadBalancer webdev-alb-stg" → 1`. */
export type Inventory = Map<string, number>;

/** Ids and timestamps vary between runs; the names around them do not. */
function stable(text: string): string {
  return text
    .replace(/\b(ami|vol|i|snap|sg|vpc|subnet)-[0-9a-f]{8,17}\b/g, "$1-…")
    .replace(/\d{8}t?\d{4,6}z?|\d{4}-\d\d-\d\d[t-][\d:.-]+z?|\d{10,}/gi, "…");
}

function tag(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/**
 * Counts every live resource of the kinds parity makes, by a name or tag that a duplicate would
 * share with its original: instances, security groups, AMIs, EC2 and RDS snapshots, target groups,
 * load balancers, listeners, buckets, distributions, databases, parameters, hosted zones, records.
 */
export async function takeInventory(endpoint: string, region = "us-west-1"): Promise<Inventory> {
  const at = (r: string) => ({ region: r, endpoint });
  const ec2 = new EC2Client(at(region));
  const elb = new ElasticLoadBalancingV2Client(at(region));
  const rds = new RDSClient(at(region));
  const s3 = new S3Client({ ...at(region), forcePathStyle: true });
  const ssm = new SSMClient(at(region));
  const cloudfront = new CloudFrontClient(at("us-east-1"));
  const route53 = new Route53Client(at("us-east-1"));
  const counts: Inventory = new Map();
  const count = (key: string) => counts.set(stable(key), (counts.get(stable(key)) ?? 0) + 1);
  try {
    const reservations = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }],
      }),
    );
    for (const i of (reservations.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      // By name first: adopting a hand-made instance adds an address, and must not look like a new one.
      const name = tag(i.Tags, "Name");
      count(`instance ${name ? `Name=${name}` : (tag(i.Tags, "parity:address") ?? "(untagged)")}`);
    }
    for (const g of (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []) {
      if (g.GroupName !== "default") count(`securityGroup ${g.GroupName}`);
    }
    for (const image of (await ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images ?? []) {
      count(`ami ${image.Name}`);
    }
    for (const s of (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }))).Snapshots ?? []) {
      // moto's own: one per built-in AMI.
      if (s.Description?.startsWith("Auto-created snapshot for AMI")) continue;
      // snapshotBeforeChange: a backup the file asked for before an instance is changed or terminated, not a copy of anything.
      const safety = /before (it was terminated|parity changed it)/.test(s.Description ?? "");
      count(
        `${safety ? "safetySnapshot" : "snapshot"} ${tag(s.Tags, "parity:address") ?? s.Description ?? "(none)"}`,
      );
    }

    for (const tg of (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []) {
      count(`targetGroup ${tg.TargetGroupName}`);
    }
    for (const lb of (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []) {
      count(`loadBalancer ${lb.LoadBalancerName}`);
      const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
      for (const l of listeners.Listeners ?? []) count(`listener ${lb.LoadBalancerName}:${l.Port}`);
    }

    for (const db of (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []) {
      count(`database ${db.DBInstanceIdentifier}`);
    }
    for (const s of (await rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? []) {
      count(`dbSnapshot ${s.DBSnapshotIdentifier} of ${s.DBInstanceIdentifier}`);
    }

    for (const b of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) count(`bucket ${b.Name}`);

    let next: string | undefined;
    do {
      const page = await ssm.send(new DescribeParametersCommand({ ...(next ? { NextToken: next } : {}) }));
      // AWS's public parameters (latest AMI ids) are not anyone's resources.
      for (const p of page.Parameters ?? []) if (!p.Name?.startsWith("/aws/")) count(`parameter ${p.Name}`);
      next = page.NextToken;
    } while (next);

    for (const d of (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? []) {
      const full = await cloudfront.send(new GetDistributionCommand({ Id: d.Id }));
      const config = full.Distribution?.DistributionConfig;
      const aliases = (config?.Aliases?.Items ?? []).join(",");
      count(`distribution ${config?.Comment || "(no comment)"} [${aliases}]`);
    }

    for (const zone of (await route53.send(new ListHostedZonesCommand({}))).HostedZones ?? []) {
      count(`hostedZone ${zone.Name}`);
      const records = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }));
      for (const r of records.ResourceRecordSets ?? []) {
        if (r.Type !== "SOA" && r.Type !== "NS") count(`record ${r.Name} ${r.Type}`);
      }
    }
    return counts;
  } finally {
    for (const client of [ec2, elb, rds, s3, ssm, cloudfront, route53]) client.destroy();
  }
}

/** Backups taken on purpose (snapshotBeforeChange) when an instance is terminated: never duplicates. */
export function isSafetySnapshot(key: string): boolean {
  return key.startsWith("safetySnapshot ");
}

/** What a trial has more of than a run without faults: each one a duplicate. */
export function extras(
  baseline: Inventory,
  trial: Inventory,
): { key: string; baseline: number; trial: number }[] {
  return [...trial.entries()]
    .filter(([key, n]) => !isSafetySnapshot(key) && n > (baseline.get(key) ?? 0))
    .map(([key, n]) => ({ key, baseline: baseline.get(key) ?? 0, trial: n }));
}

/** What a trial has less of than a run without faults. */
export function shortfalls(
  baseline: Inventory,
  trial: Inventory,
): { key: string; baseline: number; trial: number }[] {
  return [...baseline.entries()]
    .filter(([key, n]) => n > (trial.get(key) ?? 0))
    .map(([key, n]) => ({ key, baseline: n, trial: trial.get(key) ?? 0 }));
}

/** Copies of data taken on purpose (a fresh snapshot before a restore, or before a termination). */
function isBackup(key: string): boolean {
  return /^(safetySnapshot|snapshot|dbSnapshot) /.test(key);
}

function compare(
  reference: Inventory,
  actual: Inventory,
  keep: (want: number, got: number) => boolean,
  among: (key: string) => boolean,
): string[] {
  const keys = [...new Set([...reference.keys(), ...actual.keys()])].filter(among).sort();
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
  const resources = (key: string) => !isBackup(key);
  return {
    duplicates: compare(reference, actual, (w, g) => w > 0 && g > w, resources),
    unexpected: compare(reference, actual, (w, g) => w === 0 && g > 0, resources),
    missing: compare(reference, actual, (w, g) => g < w, resources),
    extraBackups: compare(reference, actual, (w, g) => g > w, isBackup),
  };
}
