import { CloudFrontClient, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import type { ResourceRecordSet } from "@aws-sdk/client-route-53";
import { CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load, planLoaded } from "../../src/cli/workflow.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: dnstest
region: us-west-1
distributions:
  site:
    origins: { web: { domain: web.example.org, protocol: http-only } }
    defaultBehavior: { origin: web, viewerProtocol: redirect-to-https }
`;

const APP = `    - { name: app.example.com, type: A, alias: distributions.site }`;
const WWW = `    - { name: www.example.com, type: CNAME, values: [app.example.com], ttl: 60 }`;

function file(...records: string[]): string {
  return `${HEAD}dns:\n  zone: example.com\n  records:\n${records.join("\n")}\n`;
}

function route53(endpoint: string): Route53Client {
  return new Route53Client({ region: "us-east-1", endpoint });
}

async function makeZone(endpoint: string, name: string): Promise<string> {
  const zone = await route53(endpoint).send(
    new CreateHostedZoneCommand({ Name: name, CallerReference: `test-${name}` }),
  );
  return zone.HostedZone?.Id ?? "";
}

async function upsert(endpoint: string, zoneId: string, set: ResourceRecordSet): Promise<void> {
  await route53(endpoint).send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: set }] },
    }),
  );
}

async function records(endpoint: string, zoneId: string): Promise<Map<string, ResourceRecordSet>> {
  const answer = await route53(endpoint).send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return new Map((answer.ResourceRecordSets ?? []).map((s) => [`${s.Name}/${s.Type}`, s]));
}

const LEGACY: ResourceRecordSet = {
  Name: "legacy.example.com",
  Type: "A",
  TTL: 300,
  ResourceRecords: [{ Value: "192.0.2.10" }],
};

describe("dns records against moto", () => {
  it("creates, re-plans clean, reverts an out-of-band target, deletes, and leaves other records alone", async () => {
    const endpoint = emulator().endpoint;
    const zoneId = await makeZone(endpoint, "example.com");
    await upsert(endpoint, zoneId, LEGACY);
    const path = writeEnvironment(file(APP, WWW));

    const first = await planFile(path, endpoint);
    expect(actions(first.plan)).toEqual([
      "create distributions.site",
      "create dns.records[app.example.com/A]",
      "create dns.records[www.example.com/CNAME]",
    ]);
    const alias = change(first.plan, "dns.records[app.example.com/A]").after?.alias as {
      dnsName: unknown;
      hostedZoneId: unknown;
    };
    expect(alias.dnsName).toEqual({ $unknown: "distributions.site.dnsName" });
    expect(alias.hostedZoneId).toBe("Z2FDTNDATAQYW2");
    first.ctx.destroy();
    await applyFile(path, endpoint);

    const distributions = await new CloudFrontClient({ region: "us-east-1", endpoint }).send(
      new ListDistributionsCommand({}),
    );
    const domain = distributions.DistributionList?.Items?.[0]?.DomainName ?? "";
    let live = await records(endpoint, zoneId);
    expect(live.get("app.example.com./A")?.AliasTarget).toMatchObject({
      DNSName: domain,
      HostedZoneId: "Z2FDTNDATAQYW2",
    });
    expect(live.get("www.example.com./CNAME")).toMatchObject({
      TTL: 60,
      ResourceRecords: [{ Value: "app.example.com" }],
    });
    expect(live.get("parity-a.app.example.com./TXT")?.ResourceRecords?.[0]?.Value).toBe(
      '"heritage=parity,parity/environment=dnstest,parity/region=us-west-1,parity/address=dns.records[app.example.com/A]"',
    );
    expect(live.has("parity-cname.www.example.com./TXT")).toBe(true);

    const again = await planFile(path, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // Someone points the record at another distribution by hand.
    await upsert(endpoint, zoneId, {
      Name: "app.example.com.",
      Type: "A",
      AliasTarget: {
        DNSName: "d0ld.cloudfront.net",
        HostedZoneId: "Z2FDTNDATAQYW2",
        EvaluateTargetHealth: false,
      },
    });
    const drift = await planFile(path, endpoint);
    expect(actions(drift.plan)).toEqual(["update dns.records[app.example.com/A]"]);
    expect(
      change(drift.plan, "dns.records[app.example.com/A]").attributes.map((a) => [a.path, a.before, a.after]),
    ).toEqual([["alias.dnsName", "d0ld.cloudfront.net", domain]]);
    drift.ctx.destroy();
    await applyFile(path, endpoint);
    expect((await records(endpoint, zoneId)).get("app.example.com./A")?.AliasTarget?.DNSName).toBe(domain);

    const clean = await planFile(path, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();

    // Spelling is not a difference: case and a trailing dot.
    writeFileSync(
      path,
      file(
        APP.replace("app.example.com", "App.Example.COM."),
        WWW.replace("[app.example.com]", "[APP.example.com.]"),
      ),
    );
    const spelling = await planFile(path, endpoint);
    expect(actions(spelling.plan)).toEqual([]);
    spelling.ctx.destroy();

    writeFileSync(path, file(APP));
    const removal = await planFile(path, endpoint);
    expect(actions(removal.plan)).toEqual(["delete dns.records[www.example.com/CNAME]"]);
    expect(change(removal.plan, "dns.records[www.example.com/CNAME]").risks).toEqual(["downtime"]);
    removal.ctx.destroy();
    await applyFile(path, endpoint);

    live = await records(endpoint, zoneId);
    expect(live.has("www.example.com./CNAME")).toBe(false);
    expect(live.has("parity-cname.www.example.com./TXT")).toBe(false);
    expect(live.has("app.example.com./A")).toBe(true);
    expect(live.get("legacy.example.com./A")).toEqual({ ...LEGACY, Name: "legacy.example.com." });
  });

  it("adopts a listed record it did not create by writing its ownership record", async () => {
    const endpoint = emulator().endpoint;
    const zoneId = await makeZone(endpoint, "example.com");
    await upsert(endpoint, zoneId, {
      Name: "Old.example.com",
      Type: "A",
      AliasTarget: {
        DNSName: "d123.cloudfront.net.",
        HostedZoneId: "Z2FDTNDATAQYW2",
        EvaluateTargetHealth: false,
      },
    });
    await upsert(endpoint, zoneId, LEGACY);
    const path = writeEnvironment(
      `${HEAD}dns:\n  zone: example.com.\n  records:\n    - { name: old.example.com, type: A, alias: { dnsName: D123.cloudfront.net } }\n`,
    );

    const plan = await planFile(path, endpoint);
    expect(actions(plan.plan)).toEqual(["create distributions.site", "adopt dns.records[old.example.com/A]"]);
    expect(change(plan.plan, "dns.records[old.example.com/A]").attributes).toEqual([]);
    plan.ctx.destroy();
    await applyFile(path, endpoint);

    const live = await records(endpoint, zoneId);
    expect(live.has("parity-a.old.example.com./TXT")).toBe(true);
    // The record kept its live spelling: no second copy under another case.
    expect([...live.keys()].filter((k) => k.toLowerCase() === "old.example.com./a")).toEqual([
      "Old.example.com./A",
    ]);
    const again = await planFile(path, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
  });

  it("never takes another environment's record, and cleans up an ownership record left alone", async () => {
    const endpoint = emulator().endpoint;
    const zoneId = await makeZone(endpoint, "example.com");
    const owned = (name: string, env: string, address: string): ResourceRecordSet => ({
      Name: name,
      Type: "TXT",
      TTL: 300,
      ResourceRecords: [
        {
          Value: `"heritage=parity,parity/environment=${env},parity/region=us-west-1,parity/address=${address}"`,
        },
      ],
    });
    await upsert(endpoint, zoneId, {
      Name: "api.example.com",
      Type: "A",
      TTL: 60,
      ResourceRecords: [{ Value: "192.0.2.1" }],
    });
    await upsert(
      endpoint,
      zoneId,
      owned("parity-a.api.example.com", "production", "dns.records[api.example.com/A]"),
    );
    // Ours, but its record was deleted by hand and the file no longer lists it.
    await upsert(
      endpoint,
      zoneId,
      owned("parity-cname.gone.example.com", "dnstest", "dns.records[gone.example.com/CNAME]"),
    );

    const path = writeEnvironment(
      `${HEAD}dns:\n  zone: example.com\n  records:\n    - { name: api.example.com, type: A, values: [192.0.2.2] }\n`,
    );
    const { loaded } = load(path);
    const session = await planLoaded(loaded!, { endpoint });
    try {
      expect(session.errors.map((e) => e.message)).toEqual([
        'api.example.com/A belongs to the parity environment "production" in us-west-1',
      ]);
    } finally {
      session.ctx.destroy();
    }

    writeFileSync(
      path,
      `${HEAD}dns:\n  zone: example.com\n  records:\n    - { name: app.example.com, type: A, alias: distributions.site }\n`,
    );
    const plan = await planFile(path, endpoint);
    expect(actions(plan.plan)).toEqual([
      "create distributions.site",
      "create dns.records[app.example.com/A]",
      "delete dns.records[gone.example.com/CNAME]",
    ]);
    plan.ctx.destroy();
    await applyFile(path, endpoint);
    const live = await records(endpoint, zoneId);
    expect(live.has("parity-cname.gone.example.com./TXT")).toBe(false);
    expect(live.get("api.example.com./A")?.ResourceRecords).toEqual([{ Value: "192.0.2.1" }]);
    expect(live.has("parity-a.api.example.com./TXT")).toBe(true);
  });

  it("reports a zone that does not exist as a plan error", async () => {
    const endpoint = emulator().endpoint;
    await makeZone(endpoint, "example.com");
    const path = writeEnvironment(file(APP).replace("zone: example.com", "zone: missing.example"));
    const { loaded, diagnostics } = load(path);
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "app.example.com is not inside the zone missing.example",
    ]);
    expect(loaded).toBeUndefined();

    writeFileSync(
      path,
      `${HEAD}dns:\n  zone: missing.example\n  records:\n    - { name: app.missing.example, type: A, alias: distributions.site }\n`,
    );
    const result = load(path);
    const session = await planLoaded(result.loaded!, { endpoint });
    try {
      expect(session.errors.map((e) => [e.path, e.message])).toEqual([
        ["dns.records[app.missing.example/A]", "hosted zone missing.example not found"],
      ]);
    } finally {
      session.ctx.destroy();
    }
  });

  it("writes to the public zone when a private zone of the same name exists", async () => {
    const endpoint = emulator().endpoint;
    const ec2 = new EC2Client({ region: "us-west-1", endpoint });
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
    ec2.destroy();
    const made = await route53(endpoint).send(
      new CreateHostedZoneCommand({
        Name: "example.com",
        CallerReference: "test-private-example.com",
        VPC: { VPCId: vpc.Vpc?.VpcId ?? "", VPCRegion: "us-west-1" },
        HostedZoneConfig: { PrivateZone: true },
      }),
    );
    const privateId = made.HostedZone?.Id ?? "";
    const publicId = await makeZone(endpoint, "example.com");
    await applyFile(writeEnvironment(file(WWW)), endpoint);
    expect((await records(endpoint, publicId)).get("www.example.com./CNAME")?.ResourceRecords).toEqual([
      { Value: "app.example.com" },
    ]);
    expect((await records(endpoint, privateId)).has("www.example.com./CNAME")).toBe(false);
  });
});
