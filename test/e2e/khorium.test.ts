import { ACMClient, ListCertificatesCommand } from "@aws-sdk/client-acm";
import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
} from "@aws-sdk/client-cloudfront";
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetParametersByPathCommand, ListCommandsCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/checks/index.js";
import type { CheckResult } from "../../src/checks/index.js";
import { liveCheckDeps } from "../../src/cli/commands/check.js";
import { EXAMPLE_OLD_DISTRIBUTION, seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { frozenClock } from "../support/clocks.js";
import { actions, change, planFile, useMoto } from "../support/harness.js";
import { parity } from "../support/child.js";
import { editFile, stageExample } from "../support/stage.js";

const { emulator } = useMoto();
const REGION = "us-west-1";
const SECRET = "postgres://khorium:s3cr3t-Value-42@db:5432/khorium";
const SECRETS = { STAGING_DATABASE_URL: SECRET };

function clients(endpoint: string) {
  return {
    s3: new S3Client({ region: REGION, endpoint, forcePathStyle: true }),
    rds: new RDSClient({ region: REGION, endpoint }),
    ssm: new SSMClient({ region: REGION, endpoint }),
    cloudfront: new CloudFrontClient({ region: "us-east-1", endpoint }),
    route53: new Route53Client({ region: "us-east-1", endpoint }),
    acm: (region: string) => new ACMClient({ region, endpoint }),
  };
}

async function appRecordTarget(route53: Route53Client): Promise<string> {
  const zones = await route53.send(new ListHostedZonesByNameCommand({ DNSName: "khorium.ai" }));
  const records = await route53.send(
    new ListResourceRecordSetsCommand({ HostedZoneId: zones.HostedZones?.[0]?.Id }),
  );
  const app = records.ResourceRecordSets?.find(
    (r) => r.Name?.replace(/\.$/, "") === "app.khorium.ai" && r.Type === "A",
  );
  return (app?.AliasTarget?.DNSName ?? "").replace(/\.$/, "");
}

async function certificateArn(acm: ACMClient): Promise<string> {
  const list = await acm.send(new ListCertificatesCommand({}));
  return list.CertificateSummaryList?.[0]?.CertificateArn ?? "";
}

/**
 * The example's own cutover check, read live as `parity check` reads it (through the zone's
 * records, since the endpoint is an emulator), tried once. Its other check needs the internet.
 */
async function cutoverCheck(file: string, endpoint: string): Promise<CheckResult> {
  const session = await planFile(file, endpoint, SECRETS);
  try {
    const check = session.environment.checks.find((c) => c.name === "cutover");
    if (!check) throw new Error("the khorium example has no cutover check");
    const once = { ...check, spec: { ...check.spec, dns: { ...(check.spec.dns as object), retries: 0 } } };
    return await runCheck(once, { ...liveCheckDeps(session), clock: frozenClock });
  } finally {
    session.ctx.destroy();
  }
}

describe("the khorium promotion, end to end", () => {
  it("promotes staging, refuses the protected restore without --allow-destroy, and rolls DNS back", async () => {
    const endpoint = emulator().endpoint;
    const aws = clients(endpoint);
    const ids = await seedKhorium(endpoint, REGION);
    const oldDistribution = ids[EXAMPLE_OLD_DISTRIBUTION] as string;
    const file = stageExample("khorium", "staging.yaml", ids);
    const cli = (...args: string[]) => parity(args, { endpoint, env: SECRETS });
    const outputs: string[] = [];

    const plan = await planFile(file, endpoint, SECRETS);
    expect(actions(plan.plan)).toEqual(
      expect.arrayContaining([
        "adopt targetGroups.web",
        "adopt loadBalancers.web",
        "adopt certificates.alb",
        "adopt certificates.cdn",
        "create loadBalancers.web.listeners[443]",
        "create distributions.site",
        "create buckets.assets",
        "replace databases.main",
        "create appEnv.values.DATABASE_URL",
      ]),
    );
    expect(
      actions(plan.plan).some((a) => /^(create|replace) (targetGroups|loadBalancers)\.web$/.test(a)),
    ).toBe(false);
    expect(change(plan.plan, "loadBalancers.web.listeners[443]").after?.certificate).toBe(
      await certificateArn(aws.acm(REGION)),
    );
    const site = change(plan.plan, "distributions.site").after as Record<string, Record<string, unknown>>;
    expect(site.certificate).toMatchObject({ arn: await certificateArn(aws.acm("us-east-1")) });
    expect(Object.keys(site.origins ?? {})).toEqual(["frontend", "api"]);
    expect(site.behaviors).toMatchObject([
      { path: "/api/*", origin: "api", forwardHeaders: ["Authorization", "Content-Type", "Host"] },
    ]);
    expect(change(plan.plan, "buckets.assets").notes).toContain(
      "from muaz-webdev-assets: copy 40 objects (116.2 KiB), skip 0",
    );
    const record = plan.plan.changes.find((c) => c.address === "dns.records[app.khorium.ai/A]");
    expect(record?.attributes.map((a) => a.path)).toEqual(["alias.dnsName"]);
    expect(change(plan.plan, "databases.main")).toMatchObject({
      protected: true,
      reason: "restoreFrom changed; parity did not create khorium-staging-db",
    });
    expect(change(plan.plan, "databases.main").risks).toEqual(["data-loss", "downtime", "unmanaged"]);
    plan.ctx.destroy();

    // Without --allow-destroy nothing at all changes.
    const refused = await cli("apply", file, "--auto-approve", "--no-checks");
    outputs.push(refused.stdout, refused.stderr);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("databases.main (replace)");
    const before = await aws.s3
      .send(new ListObjectsV2Command({ Bucket: "muaz-webdev-assets-staging" }))
      .catch((e: Error) => e);
    expect(before).toBeInstanceOf(Error);
    expect(
      (await aws.cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items,
    ).toHaveLength(1);
    expect(
      (await aws.ssm.send(new GetParametersByPathCommand({ Path: "/khorium/staging/" }))).Parameters,
    ).toEqual([]);
    expect(await appRecordTarget(aws.route53)).toBe(oldDistribution);

    const applied = await cli("apply", file, "--auto-approve", "--allow-destroy", "--no-checks");
    outputs.push(applied.stdout, applied.stderr);
    expect(applied.code, applied.stderr).toBe(0);

    // Data promoted: a fresh snapshot of dev exists and staging is available again.
    const snapshots = await aws.rds.send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: "khorium-webdev-db" }),
    );
    expect(snapshots.DBSnapshots?.length).toBeGreaterThan(0);
    const staging = await aws.rds.send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: "khorium-staging-db" }),
    );
    expect(staging.DBInstances?.[0]?.DBInstanceStatus).toBe("available");
    // Every object copied into the isolated bucket.
    const copied = await aws.s3.send(new ListObjectsV2Command({ Bucket: "muaz-webdev-assets-staging" }));
    expect(copied.KeyCount).toBe(40);
    // The distribution carries the us-east-1 certificate and the cutover happened.
    const distributions =
      (await aws.cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
    const fresh = distributions.find((d) => d.DomainName !== oldDistribution);
    const config = await aws.cloudfront.send(new GetDistributionConfigCommand({ Id: fresh?.Id }));
    expect(config.DistributionConfig?.ViewerCertificate?.ACMCertificateArn).toBe(
      await certificateArn(aws.acm("us-east-1")),
    );
    expect(await appRecordTarget(aws.route53)).toBe(fresh?.DomainName);
    expect(await cutoverCheck(file, endpoint)).toMatchObject({
      ok: true,
      detail: `Route53 zone khorium.ai: app.khorium.ai → A alias ${fresh?.DomainName}`,
    });

    // The runbook's SSH step: the instance was sent the .env script, which names values, never holds them.
    const commands = (await aws.ssm.send(new ListCommandsCommand({}))).Commands ?? [];
    expect(commands).toHaveLength(1);
    const script = (commands[0]?.Parameters?.commands ?? []).join("\n");
    expect(script).toContain("file='/home/ec2-user/backend/backend/.env'");
    expect(script).toContain("line DATABASE_URL '/khorium/staging/DATABASE_URL'");
    expect(script.trimEnd().endsWith("sudo systemctl restart gunicorn")).toBe(true);
    expect(JSON.stringify(commands)).not.toContain("s3cr3t-Value-42");

    const replan = await cli("plan", file, "--detailed-exitcode");
    outputs.push(replan.stdout, replan.stderr);
    expect(replan.code, replan.stdout).toBe(0);

    // Rollback: a one-line edit, exactly one DNS change, touching nothing else.
    editFile(file, (text) =>
      text.replace(
        "- { name: app.khorium.ai, type: A, alias: distributions.site }",
        `- { name: app.khorium.ai, type: A, alias: { dnsName: ${oldDistribution} } }`,
      ),
    );
    const rollback = await planFile(file, endpoint, SECRETS);
    expect(actions(rollback.plan)).toEqual(["update dns.records[app.khorium.ai/A]"]);
    rollback.ctx.destroy();
    const rolledBack = await cli("apply", file, "--auto-approve", "--no-checks");
    outputs.push(rolledBack.stdout, rolledBack.stderr);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(await appRecordTarget(aws.route53)).toBe(oldDistribution);
    // After the rollback the cutover check says where the name points now.
    expect(await cutoverCheck(file, endpoint)).toMatchObject({
      ok: false,
      detail: `Route53 zone khorium.ai: app.khorium.ai → A alias ${oldDistribution}, expected ${fresh?.DomainName}`,
    });
    const json = await cli("plan", file, "--json", "--detailed-exitcode");
    outputs.push(json.stdout, json.stderr);
    expect(json.code).toBe(0);

    // The secret reached SSM, and no output ever showed it.
    const stored = await aws.ssm.send(
      new GetParametersByPathCommand({ Path: "/khorium/staging/", WithDecryption: true }),
    );
    expect(stored.Parameters?.find((p) => p.Name?.endsWith("DATABASE_URL"))?.Value).toBe(SECRET);
    for (const text of outputs) expect(text).not.toContain("s3cr3t-Value-42");
    // Neither the re-plans nor the rollback delivered again: nothing the app reads changed.
    expect((await aws.ssm.send(new ListCommandsCommand({}))).Commands).toHaveLength(1);
  });
});
