import {
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderPlanText } from "../../src/render/text.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: dnslife
region: us-west-1
buckets:
  site: { name: dnslife-site, website: { indexDocument: index.html } }
`;

function dns(zone: string, ...records: string[]): string {
  return `dns:\n  zone: ${zone}\n  records:\n${records.map((r) => `    - ${r}`).join("\n")}\n`;
}

const WWW = '{ name: www.example.com, type: CNAME, values: ["${buckets.site.websiteDomain}"] }';
const API = "{ name: api.example.com, type: A, values: [192.0.2.1] }";

function route53(endpoint: string): Route53Client {
  return new Route53Client({ region: "us-east-1", endpoint });
}

/** `aws route53 create-hosted-zone --name … --caller-reference …`, as the runbooks start. */
async function makeZone(endpoint: string, name: string): Promise<string> {
  const zone = await route53(endpoint).send(
    new CreateHostedZoneCommand({ Name: name, CallerReference: `test-${name}` }),
  );
  return zone.HostedZone?.Id ?? "";
}

async function names(endpoint: string, zoneId: string): Promise<string[]> {
  const answer = await route53(endpoint).send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return (answer.ResourceRecordSets ?? [])
    .filter((s) => s.Type !== "NS" && s.Type !== "SOA")
    .map((s) => `${s.Name}/${s.Type}`)
    .sort();
}

describe("dns records the file drops, interpolates and moves", () => {
  it("interpolates values, then deletes every record and its owner when the dns block goes", async () => {
    const endpoint = emulator().endpoint;
    const zoneId = await makeZone(endpoint, "example.com");
    const path = writeEnvironment(HEAD + dns("example.com", WWW, API));
    await applyFile(path, endpoint);

    const answer = await route53(endpoint).send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    const www = answer.ResourceRecordSets?.find((s) => s.Type === "CNAME");
    expect(www?.ResourceRecords).toEqual([{ Value: "dnslife-site.s3-website-us-west-1.amazonaws.com" }]);
    const clean = await planFile(path, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();

    writeFileSync(path, HEAD);
    const removal = await planFile(path, endpoint);
    expect(actions(removal.plan).sort()).toEqual([
      "delete dns.records[api.example.com/A]",
      "delete dns.records[www.example.com/CNAME]",
    ]);
    expect(renderPlanText(removal.plan)).toContain("dns.records[www.example.com/CNAME] will be destroyed");
    removal.ctx.destroy();
    await applyFile(path, endpoint);
    expect(await names(endpoint, zoneId)).toEqual([]);
    const after = await planFile(path, endpoint);
    expect(actions(after.plan)).toEqual([]);
    after.ctx.destroy();
  });

  it("deletes the records of an empty list", async () => {
    const endpoint = emulator().endpoint;
    const zoneId = await makeZone(endpoint, "example.com");
    const path = writeEnvironment(HEAD + dns("example.com", API));
    await applyFile(path, endpoint);
    writeFileSync(path, `${HEAD}dns:\n  zone: example.com\n  records: []\n`);
    const removal = await planFile(path, endpoint);
    expect(actions(removal.plan)).toEqual(["delete dns.records[api.example.com/A]"]);
    removal.ctx.destroy();
    await applyFile(path, endpoint);
    expect(await names(endpoint, zoneId)).toEqual([]);
  });

  it("moves records to a new zone: deleted in the old one, created in the new", async () => {
    const endpoint = emulator().endpoint;
    const oldZone = await makeZone(endpoint, "example.com");
    const newZone = await makeZone(endpoint, "example.org");
    const path = writeEnvironment(HEAD + dns("example.com", API));
    await applyFile(path, endpoint);

    writeFileSync(path, HEAD + dns("example.org", API.replace("example.com", "example.org")));
    const moving = await planFile(path, endpoint);
    expect(actions(moving.plan)).toEqual([
      "create dns.records[api.example.org/A]",
      "delete dns.records[api.example.com/A]",
    ]);
    moving.ctx.destroy();
    await applyFile(path, endpoint);
    expect(await names(endpoint, oldZone)).toEqual([]);
    expect(await names(endpoint, newZone)).toEqual(["api.example.org./A", "parity-a.api.example.org./TXT"]);
  });

  it("marks a change that points live traffic elsewhere", async () => {
    const endpoint = emulator().endpoint;
    await makeZone(endpoint, "example.com");
    const path = writeEnvironment(HEAD + dns("example.com", API));
    await applyFile(path, endpoint);
    writeFileSync(path, HEAD + dns("example.com", API.replace("192.0.2.1", "192.0.2.2")));
    const moved = await planFile(path, endpoint);
    expect(actions(moved.plan)).toEqual(["update dns.records[api.example.com/A]"]);
    expect(change(moved.plan, "dns.records[api.example.com/A]").risks).toEqual(["traffic-shift"]);
    const text = renderPlanText(moved.plan);
    expect(text).toContain("Risk traffic-shift: dns.records[api.example.com/A]");
    expect(text).toContain("[traffic-shift]");
    moved.ctx.destroy();
  });

  it("refuses an interpolation that names nothing", async () => {
    const endpoint = emulator().endpoint;
    await makeZone(endpoint, "example.com");
    const path = writeEnvironment(HEAD + dns("example.com", WWW.replace("buckets.site", "buckets.nope")));
    await expect(planFile(path, endpoint)).rejects.toThrow(/unknown reference buckets\.nope/);
  });
});
