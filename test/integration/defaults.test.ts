import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { ModifyDBInstanceCommand, RDSClient } from "@aws-sdk/client-rds";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/index.js";
import { actions, applyFile, change, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: deftest
region: us-west-1
tags: { project: parity-test }
`;

function elbv2(endpoint: string): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
}

/** The one attribute a plan changes at an address, as `path: before → after`. */
function onlyDrift(plan: Plan, address: string): string[] {
  expect(actions(plan)).toEqual([`update ${address}`]);
  return change(plan, address).attributes.map((a) => `${a.path}: ${String(a.before)} → ${String(a.after)}`);
}

/** A fresh apply of a file that leaves every defaulted setting out re-plans clean. */
async function appliedClean(yaml: string, endpoint: string): Promise<string> {
  const file = writeEnvironment(`${HEAD}${yaml}`);
  await applyFile(file, endpoint);
  expect(actions(await livePlan(file, endpoint))).toEqual([]);
  return file;
}

describe("a setting the file leaves out is compared with its default", () => {
  it("target groups: a health-check interval, stickiness and a deregistration delay changed by hand", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(`targetGroups:\n  web: { name: deftest-web, port: 8080 }\n`, endpoint);
    const found = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({ Names: ["deftest-web"] }));
    const arn = found.TargetGroups?.[0]?.TargetGroupArn ?? "";

    // aws elbv2 modify-target-group --health-check-interval-seconds 10
    await elbv2(endpoint).send(
      new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckIntervalSeconds: 10 }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "targetGroups.web")).toEqual([
      "healthCheck.intervalSeconds: 10 → 30",
    ]);
    await applyFile(file, endpoint);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);

    // aws elbv2 modify-target-group-attributes --attributes Key=stickiness.enabled,Value=true
    await elbv2(endpoint).send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: "stickiness.enabled", Value: "true" }],
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "targetGroups.web")).toEqual([
      "stickiness.enabled: true → false",
    ]);
    await applyFile(file, endpoint);

    await elbv2(endpoint).send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "30" }],
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "targetGroups.web")).toEqual([
      "deregistrationDelaySeconds: 30 → 300",
    ]);
  });

  it("target groups: a cookie duration changed by hand where the file turns stickiness on", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(
      `targetGroups:\n  web: { name: deftest-web, port: 8080, stickiness: { type: lb_cookie } }\n`,
      endpoint,
    );
    const found = await elbv2(endpoint).send(new DescribeTargetGroupsCommand({ Names: ["deftest-web"] }));
    await elbv2(endpoint).send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: found.TargetGroups?.[0]?.TargetGroupArn ?? "",
        Attributes: [{ Key: "stickiness.lb_cookie.duration_seconds", Value: "3600" }],
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "targetGroups.web")).toEqual([
      "stickiness.durationSeconds: 3600 → 86400",
    ]);
  });

  it("load balancers: an idle timeout changed by hand to 120", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(`loadBalancers:\n  web: { name: deftest-alb }\n`, endpoint);
    const found = await elbv2(endpoint).send(new DescribeLoadBalancersCommand({ Names: ["deftest-alb"] }));
    // aws elbv2 modify-load-balancer-attributes --attributes Key=idle_timeout.timeout_seconds,Value=120
    await elbv2(endpoint).send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: found.LoadBalancers?.[0]?.LoadBalancerArn ?? "",
        Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "120" }],
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "loadBalancers.web")).toEqual([
      "idleTimeoutSeconds: 120 → 60",
    ]);
    await applyFile(file, endpoint);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("databases: a backup retention changed by hand", async () => {
    const endpoint = emulator().endpoint;
    // Planning reads the secret too: every plan of this test sees it.
    process.env.DEFTEST_PASSWORD ??= "not-a-real-password-1";
    const file = await appliedClean(
      `databases:
  main:
    identifier: deftest-db
    engine: postgres
    class: db.t3.micro
    allocatedStorageGb: 20
    masterUsername: app
    masterPassword: { fromEnv: DEFTEST_PASSWORD }
`,
      endpoint,
    );
    // aws rds modify-db-instance --backup-retention-period 7 --apply-immediately
    await new RDSClient({ region: "us-west-1", endpoint }).send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: "deftest-db",
        BackupRetentionPeriod: 7,
        ApplyImmediately: true,
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "databases.main")).toEqual([
      "backupRetentionDays: 7 → 1",
    ]);
  });

  it("distributions: a price class and a comment changed by hand", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(
      `distributions:
  site:
    origins: { web: { domain: deftest.s3-website-us-west-1.amazonaws.com, protocol: http-only } }
    defaultBehavior: { origin: web }
`,
      endpoint,
    );
    const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
    const id =
      (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items?.[0]?.Id ?? "";
    const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    // aws cloudfront update-distribution --id … --if-match … --distribution-config file://edited.json
    await cloudfront.send(
      new UpdateDistributionCommand({
        Id: id,
        IfMatch: current.ETag,
        DistributionConfig: {
          ...current.DistributionConfig!,
          PriceClass: "PriceClass_100",
          Comment: "by hand",
        },
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "distributions.site")).toEqual([
      "comment: by hand → ",
      "priceClass: PriceClass_100 → PriceClass_All",
    ]);
    await applyFile(file, endpoint);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });
});
