import { describe, expect, it } from "vitest";
import { compareAttributes } from "../../src/engine/compare.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { ObservedNode, Value } from "../../src/model/index.js";
import { inferAliasHostedZone } from "../../src/providers/aws/dns/aliasZones.js";
import { normaliseName, normaliseValues, recordAddress } from "../../src/providers/aws/dns/canonical.js";
import { desiredRecord } from "../../src/providers/aws/dns/desired.js";
import { ownedKey, ownerName, ownerValue, parseOwner } from "../../src/providers/aws/dns/owners.js";
import { canonicalFromRecordSet, exactRecordSet, toRecordSet } from "../../src/providers/aws/dns/records.js";
import type { RecordSpec } from "../../src/providers/aws/dns/schema.js";

const env = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };

function resolver(outputs: Record<string, { [key: string]: Value }> = {}) {
  return makeResolver(new Map(Object.entries(outputs).map(([k, v]) => [k, [v]])), {}, env);
}

function diff(spec: RecordSpec, live: Parameters<typeof canonicalFromRecordSet>[0], outputs = {}) {
  const observed = { attributes: canonicalFromRecordSet(live) } as ObservedNode;
  const { attributes } = desiredRecord(spec, resolver(outputs), observed);
  return compareAttributes(attributes, observed.attributes, { replaceOn: [] });
}

describe("record names", () => {
  it("ignore case, the trailing dot and Route53's octal escapes", () => {
    expect(normaliseName("App.Example.COM.")).toBe("app.example.com");
    expect(normaliseName("\\052.example.com.")).toBe("*.example.com");
    expect(recordAddress("App.Khorium.ai.", "a")).toBe("dns.records[app.khorium.ai/A]");
  });

  it("pair each record with its ownership TXT record", () => {
    expect(ownerName("App.Example.com.", "CNAME")).toBe("parity-cname.app.example.com");
    expect(ownedKey("parity-cname.app.example.com.")).toBe("app.example.com/CNAME");
    expect(ownedKey("app.example.com.")).toBeUndefined();
    const env = { environment: "staging", project: "khorium", region: "us-west-1", tags: {}, secrets: {} };
    const value = ownerValue(env, "dns.records[app.example.com/A]", true);
    expect(value).toBe(
      '"heritage=parity,parity/environment=staging,parity/project=khorium,parity/region=us-west-1,parity/address=dns.records[app.example.com/A],parity/protect=true"',
    );
    expect(parseOwner(value)).toEqual({
      environment: "staging",
      project: "khorium",
      region: "us-west-1",
      address: "dns.records[app.example.com/A]",
      protect: true,
    });
    // Written before projects: the environment's name and the address only.
    const legacy =
      '"heritage=parity,parity/environment=staging,parity/address=dns.records[app.example.com/A]"';
    expect(parseOwner(legacy)).toEqual({ environment: "staging", address: "dns.records[app.example.com/A]" });
    expect(parseOwner('"heritage=external-dns,external-dns/owner=default"')).toBeUndefined();
  });
});

describe("record values", () => {
  it("compare hosts without case or trailing dot, quote TXT, and sort", () => {
    expect(normaliseValues("CNAME", ["Target.Example.org."])).toEqual(["target.example.org"]);
    expect(normaliseValues("MX", ["20 Mail2.Example.com.", "10 mail.example.com"])).toEqual([
      "10 mail.example.com",
      "20 mail2.example.com",
    ]);
    expect(normaliseValues("TXT", ["v=spf1 -all", '"already quoted"'])).toEqual([
      '"already quoted"',
      '"v=spf1 -all"',
    ]);
    expect(normaliseValues("TXT", ["x".repeat(300)])).toEqual([`"${"x".repeat(255)}" "${"x".repeat(45)}"`]);
    expect(normaliseValues("A", ["192.0.2.2", "192.0.2.1"])).toEqual(["192.0.2.1", "192.0.2.2"]);
  });

  it("see no difference in spelling of a plain record", () => {
    const spec: RecordSpec = {
      name: "www.example.com",
      type: "CNAME",
      values: ["App.example.com."],
      ttl: 60,
    };
    expect(
      diff(spec, {
        Name: "WWW.example.com.",
        Type: "CNAME",
        TTL: 60,
        ResourceRecords: [{ Value: "app.example.com" }],
      }),
    ).toEqual([]);
  });
});

describe("alias records", () => {
  const live = {
    Name: "app.example.com.",
    Type: "A" as const,
    // moto answers TTL 0 for an alias; it means nothing.
    TTL: 0,
    AliasTarget: {
      DNSName: "D111.CloudFront.net.",
      HostedZoneId: "Z2FDTNDATAQYW2",
      EvaluateTargetHealth: false,
    },
  };

  it("resolve a reference through the target's dnsName and hostedZoneId outputs", () => {
    const outputs = {
      "distributions.site": { dnsName: "d111.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" },
    };
    expect(diff({ name: "app.example.com", type: "A", alias: "distributions.site" }, live, outputs)).toEqual(
      [],
    );
    const moved = {
      "distributions.site": { dnsName: "d222.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" },
    };
    expect(
      diff({ name: "app.example.com", type: "A", alias: "distributions.site" }, live, moved).map(
        (c) => c.path,
      ),
    ).toEqual(["alias.dnsName"]);
  });

  it("stay unknown while the target does not exist", () => {
    const { attributes, errors } = desiredRecord(
      { name: "app.example.com", type: "A", alias: "distributions.site" },
      resolver(),
    );
    expect(attributes.alias).toEqual({
      dnsName: { $unknown: "distributions.site.dnsName" },
      hostedZoneId: { $unknown: "distributions.site.hostedZoneId" },
      evaluateTargetHealth: false,
    });
    expect(errors).toEqual([]);
  });

  it("infer the hosted zone of CloudFront and regional ALB names", () => {
    expect(inferAliasHostedZone("d111.cloudfront.net.")).toBe("Z2FDTNDATAQYW2");
    expect(inferAliasHostedZone("webdev-alb-stg-123.us-west-1.elb.amazonaws.com")).toBe("Z368ELLRRE2KJ0");
    expect(inferAliasHostedZone("dualstack.internal-web-1.eu-west-1.elb.amazonaws.com")).toBe(
      "Z32O12XQLNTSW2",
    );
    expect(inferAliasHostedZone("example.org")).toBeUndefined();
    expect(
      diff({ name: "app.example.com", type: "A", alias: { dnsName: "d111.cloudfront.net" } }, live),
    ).toEqual([]);
    const { errors } = desiredRecord(
      { name: "app.example.com", type: "A", alias: { dnsName: "example.org" } },
      resolver(),
    );
    expect(errors.map((e) => e.message)).toEqual(["cannot tell the hosted zone of alias target example.org"]);
  });

  it("show a switch between alias and values", () => {
    const changes = diff({ name: "app.example.com", type: "A", values: ["192.0.2.1"] }, live);
    expect(changes.map((c) => [c.path, c.after])).toEqual([
      ["values", ["192.0.2.1"]],
      ["ttl", 300],
      ["alias", null],
    ]);
  });

  it("are written and deleted without a TTL", () => {
    const set = toRecordSet(
      {
        name: "app.example.com",
        type: "A",
        alias: { dnsName: "d111.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" },
        values: null,
        ttl: null,
      },
      "App.example.com.",
    );
    expect(set).toEqual({
      Name: "App.example.com.",
      Type: "A",
      AliasTarget: {
        DNSName: "d111.cloudfront.net",
        HostedZoneId: "Z2FDTNDATAQYW2",
        EvaluateTargetHealth: false,
      },
    });
    expect(exactRecordSet(live)).toEqual({ Name: live.Name, Type: "A", AliasTarget: live.AliasTarget });
  });
});
