import {
  DescribeSecurityGroupsCommand,
  EC2Client,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from "@aws-sdk/client-ec2";
import { GetBucketWebsiteCommand, PutBucketWebsiteCommand, S3Client } from "@aws-sdk/client-s3";
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/index.js";
import { actions, applyFile, change, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: mdtest
region: us-west-1
tags: { project: parity-test }
`;

/** The attributes a plan changes at its one address, as `path: before → after`. */
function onlyDrift(plan: Plan, address: string): string[] {
  expect(actions(plan)).toEqual([`update ${address}`]);
  return change(plan, address).attributes.map(
    (a) => `${a.path}: ${JSON.stringify(a.before)} → ${JSON.stringify(a.after)}`,
  );
}

/** A fresh apply of the file re-plans clean. */
async function appliedClean(yaml: string, endpoint: string): Promise<string> {
  const file = writeEnvironment(`${HEAD}${yaml}`);
  await applyFile(file, endpoint);
  expect(actions(await livePlan(file, endpoint))).toEqual([]);
  return file;
}

/** Applies the drift away and checks the next plan is clean. */
async function fixedClean(file: string, endpoint: string): Promise<void> {
  await applyFile(file, endpoint);
  expect(actions(await livePlan(file, endpoint))).toEqual([]);
}

describe("security groups: every managed setting is compared with its default", () => {
  const GROUPS = `securityGroups:
  alb: { name: mdtest-alb }
  app:
    name: mdtest-app
    ingress:
      - { port: 8080, source: securityGroups.alb }
      - { port: 22, cidr: 203.0.113.10/32, description: office }
`;

  it("gives a group without a description the documented default", async () => {
    const endpoint = emulator().endpoint;
    await appliedClean(GROUPS, endpoint);
    const ec2 = new EC2Client({ region: "us-west-1", endpoint });
    const found = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["mdtest-alb"] }] }),
    );
    expect(found.SecurityGroups?.[0]?.Description).toBe("mdtest-alb (managed by parity)");
  });

  it("shows a rule description added or edited by hand as one update, and puts it back", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(GROUPS, endpoint);
    const ec2 = new EC2Client({ region: "us-west-1", endpoint });
    const byName = async (name: string) =>
      (
        await ec2.send(
          new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [name] }] }),
        )
      ).SecurityGroups?.[0];
    const alb = await byName("mdtest-alb");
    const app = await byName("mdtest-app");

    // aws ec2 update-security-group-rule-descriptions-ingress --ip-permissions '…,"IpRanges":[{"CidrIp":…,"Description":"vpn"}]'
    await ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId: app?.GroupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: "203.0.113.10/32", Description: "vpn" }],
          },
        ],
      }),
    );
    const drift = onlyDrift(await livePlan(file, endpoint), "securityGroups.app");
    expect(drift).toHaveLength(1);
    expect(drift[0]).toContain('"description":"vpn"');
    await fixedClean(file, endpoint);
    const described = (await byName("mdtest-app"))?.IpPermissions?.flatMap((p) => [
      ...(p.IpRanges ?? []).map((r) => `${p.FromPort} ${r.CidrIp} ${r.Description ?? ""}`),
      ...(p.UserIdGroupPairs ?? []).map((g) => `${p.FromPort} ${g.GroupId} ${g.Description ?? ""}`),
    ]);
    expect(described?.sort()).toEqual([`22 203.0.113.10/32 office`, `8080 ${alb?.GroupId} `]);
  });
});

describe("buckets: the website configuration is compared with its default", () => {
  const s3 = (endpoint: string) => new S3Client({ region: "us-west-1", endpoint, forcePathStyle: true });

  it("shows a website turned on by hand as one update, and turns it off again", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(`buckets:\n  assets: { name: mdtest-assets }\n`, endpoint);
    // aws s3 website s3://mdtest-assets --index-document index.html
    await s3(endpoint).send(
      new PutBucketWebsiteCommand({
        Bucket: "mdtest-assets",
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "buckets.assets")).toEqual([
      'website: {"indexDocument":"index.html","errorDocument":null} → null',
    ]);
    await fixedClean(file, endpoint);
    await expect(
      s3(endpoint).send(new GetBucketWebsiteCommand({ Bucket: "mdtest-assets" })),
    ).rejects.toMatchObject({
      name: "NoSuchWebsiteConfiguration",
    });
  });

  it("shows an error document added by hand as one update, and removes it", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(
      `buckets:\n  site: { name: mdtest-site, website: { indexDocument: index.html } }\n`,
      endpoint,
    );
    // aws s3 website s3://mdtest-site --index-document index.html --error-document error.html
    await s3(endpoint).send(
      new PutBucketWebsiteCommand({
        Bucket: "mdtest-site",
        WebsiteConfiguration: {
          IndexDocument: { Suffix: "index.html" },
          ErrorDocument: { Key: "error.html" },
        },
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "buckets.site")).toEqual([
      'website.errorDocument: "error.html" → null',
    ]);
    await fixedClean(file, endpoint);
    const live = await s3(endpoint).send(new GetBucketWebsiteCommand({ Bucket: "mdtest-site" }));
    expect([live.IndexDocument?.Suffix, live.ErrorDocument]).toEqual(["index.html", undefined]);
  });
});

describe("dns records: the TTL is compared with its default", () => {
  it("shows a TTL changed by hand as one update, and puts 300 back", async () => {
    const endpoint = emulator().endpoint;
    const route53 = new Route53Client({ region: "us-east-1", endpoint });
    // aws route53 create-hosted-zone --name example.com --caller-reference …
    const zone = await route53.send(
      new CreateHostedZoneCommand({ Name: "example.com", CallerReference: "mdtest-zone" }),
    );
    const file = await appliedClean(
      `dns:\n  zone: example.com\n  records:\n    - { name: www.example.com, type: CNAME, values: [app.example.com] }\n`,
      endpoint,
    );
    // aws route53 change-resource-record-sets: UPSERT www.example.com with a TTL of 60
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZone?.Id,
        ChangeBatch: {
          Changes: [
            {
              Action: "UPSERT",
              ResourceRecordSet: {
                Name: "www.example.com",
                Type: "CNAME",
                TTL: 60,
                ResourceRecords: [{ Value: "app.example.com" }],
              },
            },
          ],
        },
      }),
    );
    expect(onlyDrift(await livePlan(file, endpoint), "dns.records[www.example.com/CNAME]")).toEqual([
      "ttl: 60 → 300",
    ]);
    await fixedClean(file, endpoint);
    const sets = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone?.Id }));
    const www = sets.ResourceRecordSets?.find((s) => s.Name === "www.example.com." && s.Type === "CNAME");
    expect(www?.TTL).toBe(300);
  });
});

describe("appEnv: a parameter's type is compared", () => {
  it("shows a key made a SecureString by hand as one update, and writes it back as String", async () => {
    const endpoint = emulator().endpoint;
    const file = await appliedClean(`appEnv:\n  path: /mdtest/\n  values: { LOG_LEVEL: info }\n`, endpoint);
    const ssm = new SSMClient({ region: "us-west-1", endpoint });
    // aws ssm put-parameter --name /mdtest/LOG_LEVEL --value info --type SecureString --overwrite
    await ssm.send(
      new PutParameterCommand({
        Name: "/mdtest/LOG_LEVEL",
        Value: "info",
        Type: "SecureString",
        Overwrite: true,
      }),
    );
    const drift = onlyDrift(await livePlan(file, endpoint), "appEnv.values.LOG_LEVEL");
    expect(drift[0]).toBe('type: "SecureString" → "String"');
    await fixedClean(file, endpoint);
    const live = await ssm.send(new GetParameterCommand({ Name: "/mdtest/LOG_LEVEL" }));
    expect([live.Parameter?.Type, live.Parameter?.Value]).toEqual(["String", "info"]);
  });
});
