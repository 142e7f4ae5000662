import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import type { ResourceRecordSet } from "@aws-sdk/client-route-53";
import { describe, expect, it } from "vitest";
import { runChecks } from "../../src/checks/index.js";
import type { Check } from "../../src/checks/index.js";
import { AwsContext, zoneRecordsFor } from "../../src/providers/aws/index.js";
import type { Value } from "../../src/model/index.js";
import { frozenClock } from "../support/clocks.js";
import { useMoto } from "../support/harness.js";

const { emulator } = useMoto();

const env = { environment: "checktest", region: "us-west-1", tags: {}, secrets: {} };

/** `aws route53 create-hosted-zone` then `change-resource-record-sets` with UPSERTs. */
async function zoneWith(endpoint: string, name: string, sets: ResourceRecordSet[]): Promise<void> {
  const route53 = new Route53Client({ region: "us-east-1", endpoint });
  const made = await route53.send(
    new CreateHostedZoneCommand({ Name: name, CallerReference: `test-${name}` }),
  );
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: made.HostedZone?.Id,
      ChangeBatch: { Changes: sets.map((set) => ({ Action: "UPSERT", ResourceRecordSet: set })) },
    }),
  );
  route53.destroy();
}

const dns = (name: string, spec: { [key: string]: Value }): Check => ({
  name,
  spec: { name, dns: { ...spec, retries: 0 } },
});

describe("dns checks through a hosted zone's records (moto)", () => {
  it("passes on an alias, a CNAME chain into it and a plain value; fails on anything else", async () => {
    const endpoint = emulator().endpoint;
    await zoneWith(endpoint, "checks.test", [
      {
        Name: "app.checks.test.",
        Type: "A",
        AliasTarget: {
          DNSName: "d111abcdef8.cloudfront.net.",
          HostedZoneId: "Z2FDTNDATAQYW2",
          EvaluateTargetHealth: false,
        },
      },
      { Name: "www.checks.test.", Type: "CNAME", TTL: 300, ResourceRecords: [{ Value: "App.Checks.Test" }] },
      { Name: "api.checks.test.", Type: "A", TTL: 300, ResourceRecords: [{ Value: "10.0.0.5" }] },
      { Name: "checks.test.", Type: "TXT", TTL: 300, ResourceRecords: [{ Value: '"v=spf1 " "-all"' }] },
    ]);
    await zoneWith(endpoint, "eu.checks.test", [
      { Name: "api.eu.checks.test.", Type: "A", TTL: 300, ResourceRecords: [{ Value: "10.0.1.5" }] },
    ]);
    const ctx = new AwsContext({ region: "us-west-1", endpoint }, env);
    try {
      const deps = { clock: frozenClock, zoneRecords: (name: string) => zoneRecordsFor(ctx, name) };
      const results = await runChecks(
        [
          dns("alias", { name: "app.checks.test", expect: "D111ABCDEF8.cloudfront.net." }),
          dns("chain", { name: "www.checks.test", expect: "d111abcdef8.cloudfront.net" }),
          dns("value", { name: "api.checks.test", expect: "10.0.0.5" }),
          dns("txt", { name: "checks.test", type: "TXT", expect: "v=spf1 -all" }),
          dns("nearest zone", { name: "api.eu.checks.test", expect: "10.0.1.5" }),
          dns("moved", { name: "app.checks.test", expect: "d999old.cloudfront.net" }),
          dns("missing", { name: "old.checks.test", expect: "10.0.0.5" }),
          dns("no zone", { name: "app.elsewhere.test", expect: "10.0.0.5" }),
        ],
        deps,
      );
      expect(results.map((r) => [r.name, r.ok, r.detail])).toEqual([
        ["alias", true, "Route53 zone checks.test: app.checks.test → A alias d111abcdef8.cloudfront.net"],
        [
          "chain",
          true,
          "Route53 zone checks.test: www.checks.test → CNAME app.checks.test → A alias d111abcdef8.cloudfront.net",
        ],
        ["value", true, "Route53 zone checks.test: api.checks.test → A 10.0.0.5"],
        ["txt", true, 'Route53 zone checks.test: checks.test → TXT "v=spf1 " "-all"'],
        ["nearest zone", true, "Route53 zone eu.checks.test: api.eu.checks.test → A 10.0.1.5"],
        [
          "moved",
          false,
          "Route53 zone checks.test: app.checks.test → A alias d111abcdef8.cloudfront.net, expected d999old.cloudfront.net",
        ],
        ["missing", false, "Route53 zone checks.test: old.checks.test → no A record, expected 10.0.0.5"],
        ["no zone", false, "no Route53 hosted zone holds app.elsewhere.test"],
      ]);
    } finally {
      ctx.destroy();
    }
  });
});
