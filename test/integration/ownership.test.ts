import {
  CreateHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  PutBucketTaggingCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ListTagsForResourceCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { load, planLoaded } from "../../src/cli/workflow.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";
import { parity } from "../support/child.js";

const { emulator } = useMoto();
const REGION = "us-west-1";
const SECRETS = { OWNTEST_PASSWORD: "owntest-password-1" };
const ZONE = "owntest.example";

const at = (endpoint: string) => ({ region: REGION, endpoint });

function asMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

async function groupTags(endpoint: string, name: string): Promise<Record<string, string> | undefined> {
  const ec2 = new EC2Client(at(endpoint));
  const found = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [name] }] }),
  );
  ec2.destroy();
  const group = found.SecurityGroups?.[0];
  return group ? asMap(group.Tags) : undefined;
}

async function createZone(endpoint: string): Promise<string> {
  const route53 = new Route53Client({ region: "us-east-1", endpoint });
  const zone = await route53.send(new CreateHostedZoneCommand({ Name: ZONE, CallerReference: ZONE }));
  route53.destroy();
  return zone.HostedZone?.Id ?? "";
}

/** The errors of a plan that must not be applied, as `address: message` lines. */
async function planErrors(file: string, endpoint: string): Promise<string[]> {
  const { loaded } = load(file, { secrets: SECRETS });
  const session = await planLoaded(loaded!, { endpoint });
  session.ctx.destroy();
  return session.errors.map((e) => `${e.path}: ${e.message}`);
}

/** An environment of every kind that has a name another owner could hold. */
function named(project: string, environment = "staging"): string {
  return `environment: ${environment}
project: ${project}
region: ${REGION}
securityGroups:
  web: { name: owntest-web, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }
targetGroups:
  web: { name: owntest-tg, port: 8080, healthCheck: { path: /health } }
loadBalancers:
  web:
    name: owntest-alb
    securityGroups: [securityGroups.web]
    listeners: [{ port: 80, protocol: HTTP, forward: targetGroups.web }]
buckets:
  site: { name: owntest-site }
databases:
  main:
    identifier: owntest-db
    engine: postgres
    engineVersion: "16.3"
    class: db.t3.micro
    allocatedStorageGb: 20
    deletionProtection: false
    masterUsername: app
    masterPassword: { fromEnv: OWNTEST_PASSWORD }
appEnv:
  path: /owntest/
  values: { MODE: ${project} }
dns:
  zone: ${ZONE}
  records:
    - { name: api.${ZONE}, type: CNAME, values: [owntest-alb.example.org] }
`;
}

describe("a name another owner holds", () => {
  it("is a plan-time error naming the owner, for every named kind, and nothing is touched", async () => {
    const endpoint = emulator().endpoint;
    await createZone(endpoint);
    await applyFile(writeEnvironment(named("alpha")), endpoint, SECRETS);

    const owner = 'the parity environment "staging" of project "alpha" in us-west-1';
    const errors = await planErrors(writeEnvironment(named("beta")), endpoint);
    expect(errors.sort()).toEqual(
      [
        `securityGroups.web: security group owntest-web belongs to ${owner}`,
        `targetGroups.web: target group owntest-tg belongs to ${owner}`,
        `loadBalancers.web: load balancer owntest-alb belongs to ${owner}`,
        `buckets.site: bucket owntest-site belongs to ${owner}`,
        `databases.main: database owntest-db belongs to ${owner}`,
        `appEnv.values.MODE: parameter /owntest/MODE belongs to ${owner}`,
        `dns.records[api.${ZONE}/CNAME]: api.${ZONE}/CNAME belongs to ${owner}`,
      ].sort(),
    );
    // The same names without a project are a third owner's too: absent is not a wildcard.
    const unnamed = named("alpha").replace("project: alpha\n", "");
    expect(await planErrors(writeEnvironment(unnamed), endpoint)).toHaveLength(7);
    // The owner itself still plans clean.
    const again = await planFile(writeEnvironment(named("alpha")), endpoint, SECRETS);
    again.ctx.destroy();
    expect(actions(again.plan)).toEqual([]);
  });
});

describe("protection", () => {
  it("is recorded on the live resource when the file adds it, and outlasts the entry", async () => {
    const endpoint = emulator().endpoint;
    const head = `environment: staging\nproject: prot\nregion: ${REGION}\nsecurityGroups:\n`;
    const group = (extra: string) =>
      `  web: { name: prot-web, ingress: [{ port: 80, cidr: 0.0.0.0/0 }]${extra} }\n`;
    const file = writeEnvironment(head + group(""));
    await applyFile(file, endpoint);
    expect((await groupTags(endpoint, "prot-web"))?.["parity:protect"]).toBeUndefined();

    const guarded = writeEnvironment(head + group(", protect: true"));
    const plan = await planFile(guarded, endpoint);
    plan.ctx.destroy();
    expect(actions(plan.plan)).toEqual(["update securityGroups.web"]);
    expect(change(plan.plan, "securityGroups.web").attributes).toMatchObject([
      { path: "protect", before: false, after: true },
    ]);
    await applyFile(guarded, endpoint);
    expect((await groupTags(endpoint, "prot-web"))?.["parity:protect"]).toBe("true");

    // Dropped from the file, it stays protected: apply refuses without --allow-destroy.
    const dropped = writeEnvironment(`environment: staging\nproject: prot\nregion: ${REGION}\n`);
    const refused = await parity(["apply", dropped, "--auto-approve"], { endpoint });
    expect(refused.code).toBe(1);
    expect(refused.stderr + refused.stdout).toContain("refusing to touch a protected resource");
    expect(await groupTags(endpoint, "prot-web")).toBeDefined();

    // Unprotecting is recorded the same way, and then the deletion needs no flag.
    const plain = writeEnvironment(head + group(", protect: false"));
    await applyFile(plain, endpoint);
    expect((await groupTags(endpoint, "prot-web"))?.["parity:protect"]).toBe("false");
    expect((await parity(["apply", dropped, "--auto-approve"], { endpoint })).code).toBe(0);
    expect(await groupTags(endpoint, "prot-web")).toBeUndefined();
  });
});

/** How an older parity tagged: the environment's name and the address, nothing else. */
const LEGACY_ENVIRONMENT = { Key: "parity:environment", Value: "staging" };

describe("resources tagged before projects and regions", () => {
  it("are re-tagged where the file names them at their address, and a sibling's are left alone", async () => {
    const endpoint = emulator().endpoint;
    const zoneId = await createZone(endpoint);
    const ec2 = new EC2Client(at(endpoint));
    const s3 = new S3Client({ ...at(endpoint), forcePathStyle: true });
    const ssm = new SSMClient(at(endpoint));
    const route53 = new Route53Client({ region: "us-east-1", endpoint });
    try {
      // What an older parity left: `aws ec2 create-security-group … --tag-specifications`, and so on.
      const vpc = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId;
      for (const [name, address] of [
        ["legacy-web", "securityGroups.web"],
        ["sibling-web", "securityGroups.other"],
      ] as const) {
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: name,
            Description: `${name} (managed by parity)`,
            VpcId: vpc,
            TagSpecifications: [
              {
                ResourceType: "security-group",
                Tags: [LEGACY_ENVIRONMENT, { Key: "parity:address", Value: address }],
              },
            ],
          }),
        );
      }
      await s3.send(
        new CreateBucketCommand({
          Bucket: "legacy-site",
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
      await s3.send(
        new PutBucketTaggingCommand({
          Bucket: "legacy-site",
          Tagging: { TagSet: [LEGACY_ENVIRONMENT, { Key: "parity:address", Value: "buckets.site" }] },
        }),
      );
      await ssm.send(
        new PutParameterCommand({
          Name: "/legacy/MODE",
          Value: "on",
          Type: "String",
          Tags: [LEGACY_ENVIRONMENT, { Key: "parity:address", Value: "appEnv.values.MODE" }],
        }),
      );
      const record = (name: string, type: string, value: string) => ({
        Action: "UPSERT" as const,
        ResourceRecordSet: { Name: name, Type: type as "TXT", TTL: 300, ResourceRecords: [{ Value: value }] },
      });
      await route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Changes: [
              { ...record(`api.${ZONE}`, "CNAME", "legacy.example.org"), Action: "UPSERT" },
              record(
                `parity-cname.api.${ZONE}`,
                "TXT",
                `"heritage=parity,parity/environment=staging,parity/address=dns.records[api.${ZONE}/CNAME]"`,
              ),
            ],
          },
        }),
      );
    } finally {
      for (const client of [ec2, s3, ssm]) client.destroy();
    }

    const file = writeEnvironment(`environment: staging
project: legacy
region: ${REGION}
securityGroups:
  web: { name: legacy-web, description: legacy-web (managed by parity) }
buckets:
  site: { name: legacy-site }
appEnv:
  path: /legacy/
  values: { MODE: "on" }
dns:
  zone: ${ZONE}
  records:
    - { name: api.${ZONE}, type: CNAME, values: [legacy.example.org] }
`);
    const plan = await planFile(file, endpoint);
    plan.ctx.destroy();
    // Re-tags only: nothing created, adopted, replaced or deleted (the sibling's group is not in it).
    expect(actions(plan.plan).sort()).toEqual(
      [
        "update appEnv.values.MODE",
        "update buckets.site",
        `update dns.records[api.${ZONE}/CNAME]`,
        "update securityGroups.web",
      ].sort(),
    );
    for (const c of plan.plan.changes) {
      expect(c.attributes.map((a) => a.path)).toEqual(["ownership"]);
      expect(c.notes).toContain('re-tagged for project "legacy", region "us-west-1"');
    }

    await applyFile(file, endpoint);
    const identity = { "parity:project": "legacy", "parity:region": REGION };
    expect(await groupTags(endpoint, "legacy-web")).toMatchObject(identity);
    const s3After = new S3Client({ ...at(endpoint), forcePathStyle: true });
    const ssmAfter = new SSMClient(at(endpoint));
    try {
      expect(
        asMap((await s3After.send(new GetBucketTaggingCommand({ Bucket: "legacy-site" }))).TagSet),
      ).toMatchObject(identity);
      const parameter = await ssmAfter.send(
        new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: "/legacy/MODE" }),
      );
      expect(asMap(parameter.TagList)).toMatchObject(identity);
      const sets = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
      const owner = sets.ResourceRecordSets?.find((s) => s.Name === `parity-cname.api.${ZONE}.`);
      expect(owner?.ResourceRecords?.[0]?.Value).toContain("parity/project=legacy,parity/region=us-west-1");
    } finally {
      s3After.destroy();
      ssmAfter.destroy();
      route53.destroy();
    }
    // The sibling's legacy group is never deleted, nor re-tagged.
    expect(await groupTags(endpoint, "sibling-web")).toEqual({
      "parity:environment": "staging",
      "parity:address": "securityGroups.other",
    });
    const again = await planFile(file, endpoint);
    again.ctx.destroy();
    expect(actions(again.plan)).toEqual([]);

    // A legacy resource the file names at another address is refused, naming where it was recorded.
    const moved = writeEnvironment(
      `environment: staging\nregion: ${REGION}\nsecurityGroups:\n  api: { name: sibling-web }\n`,
    );
    expect(await planErrors(moved, endpoint)).toEqual([
      'securityGroups.api: security group sibling-web belongs to the parity environment "staging" at securityGroups.other (tagged before projects and regions)',
    ]);
  });
});
