import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { compareAttributes } from "../../src/engine/compare.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { Value } from "../../src/model/index.js";
import {
  CACHING_OPTIMIZED_POLICY,
  CERTIFICATE_FACTS,
  asAttrs,
  methodSetName,
} from "../../src/providers/aws/distributions/canonical.js";
import {
  applyDesired,
  canonicalFromConfig,
  newConfig,
} from "../../src/providers/aws/distributions/config.js";
import { desiredDistribution } from "../../src/providers/aws/distributions/desired.js";
import type { DistributionSpec } from "../../src/providers/aws/distributions/schema.js";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/f8a771c4-f04f-4649-9b15-9d22a1d39bbf";
const env = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };

function resolver(outputs: Record<string, { [key: string]: Value }> = {}) {
  const groups = new Map(Object.entries(outputs).map(([k, v]) => [k, [v]]));
  return makeResolver(groups, { [CERTIFICATE_FACTS]: { "us-east-1|*.example.com": CERT } }, env);
}

const SPEC: DistributionSpec = {
  aliases: ["Staging.Example.com", "a.example.com"],
  certificate: { domain: "*.example.com" },
  comment: "staging",
  origins: {
    frontend: { domain: "web.s3-website-us-west-1.amazonaws.com", protocol: "http-only" },
    api: { domain: "alb-1.us-west-1.elb.amazonaws.com", protocol: "http-only" },
  },
  defaultBehavior: { origin: "frontend", viewerProtocol: "redirect-to-https" },
  behaviors: [
    {
      path: "/api/*",
      origin: "api",
      forwardHeaders: ["Host", "Authorization", "Content-Type"],
      allowedMethods: "all",
    },
  ],
};

const empty = { Quantity: 0, Items: [] };
const customOrigin = (id: string, domain: string) => ({
  Id: id,
  DomainName: domain,
  OriginPath: "",
  CustomHeaders: empty,
  CustomOriginConfig: {
    HTTPPort: 80,
    HTTPSPort: 443,
    OriginProtocolPolicy: "http-only" as const,
    OriginSslProtocols: { Quantity: 0, Items: [] },
    OriginReadTimeout: 30,
    OriginKeepaliveTimeout: 5,
  },
  ConnectionAttempts: 3,
  ConnectionTimeout: 10,
  OriginShield: { Enabled: false },
});
const extras = {
  TrustedSigners: { Enabled: false, Quantity: 0, Items: [] },
  TrustedKeyGroups: { Enabled: false, Quantity: 0, Items: [] },
  SmoothStreaming: false,
  Compress: true,
  LambdaFunctionAssociations: { Quantity: 0 },
  FunctionAssociations: { Quantity: 0 },
  FieldLevelEncryptionId: "",
  MinTTL: 0,
  DefaultTTL: 0,
  MaxTTL: 0,
};

/** What moto 5.2.1 answers for the distribution SPEC creates: defaults added, wrappers, reordering. */
const MOTO_CONFIG: DistributionConfig = {
  CallerReference: "parity-abc",
  Origins: {
    Quantity: 2,
    Items: [
      customOrigin("frontend", "web.s3-website-us-west-1.amazonaws.com"),
      customOrigin("api", "alb-1.us-west-1.elb.amazonaws.com"),
    ],
  },
  DefaultCacheBehavior: {
    TargetOriginId: "frontend",
    ViewerProtocolPolicy: "redirect-to-https",
    AllowedMethods: {
      Quantity: 2,
      Items: ["HEAD", "GET"],
      CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
    },
    CachePolicyId: CACHING_OPTIMIZED_POLICY,
    // moto echoes legacy settings next to the cache policy.
    ForwardedValues: { QueryString: false, Cookies: { Forward: "none" } },
    ...extras,
  },
  CacheBehaviors: {
    Quantity: 1,
    Items: [
      {
        PathPattern: "/api/*",
        TargetOriginId: "api",
        ViewerProtocolPolicy: "redirect-to-https",
        AllowedMethods: {
          Quantity: 7,
          Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
        },
        CachePolicyId: "",
        OriginRequestPolicyId: "",
        ForwardedValues: {
          QueryString: true,
          Cookies: { Forward: "all" },
          Headers: { Quantity: 3, Items: ["Content-Type", "Host", "Authorization"] },
        },
        ...extras,
      },
    ],
  },
  Comment: "staging",
  Enabled: true,
  Aliases: { Quantity: 2, Items: ["staging.example.com", "a.example.com"] },
  DefaultRootObject: "",
  CustomErrorResponses: { Quantity: 0 },
  Logging: { Enabled: true, IncludeCookies: false, Bucket: "logs.s3.amazonaws.com", Prefix: "cf/" },
  PriceClass: "PriceClass_All",
  // moto reports the CloudFront default certificate as set next to the ACM one.
  ViewerCertificate: {
    CloudFrontDefaultCertificate: true,
    IAMCertificateId: "",
    ACMCertificateArn: CERT,
    SSLSupportMethod: "sni-only",
    MinimumProtocolVersion: "TLSv1.2_2021",
    Certificate: "",
    CertificateSource: "cloudfront",
  },
  HttpVersion: "http2",
  IsIPV6Enabled: true,
};

function diff(spec: DistributionSpec, config: DistributionConfig) {
  const live = canonicalFromConfig(config);
  const { attributes } = desiredDistribution(spec, resolver(), Object.keys(live.origins));
  return compareAttributes(asAttrs(attributes), asAttrs(live), { replaceOn: [] });
}

describe("distribution canonical form", () => {
  it("sees no difference between the file and CloudFront's defaulted, wrapped, reordered answer", () => {
    expect(diff(SPEC, MOTO_CONFIG)).toEqual([]);
  });

  it("ignores header order, and alias order and case", () => {
    const spec: DistributionSpec = {
      ...SPEC,
      aliases: ["A.EXAMPLE.COM", "staging.example.com."],
      behaviors: [{ ...SPEC.behaviors![0]!, forwardHeaders: ["Content-Type", "Authorization", "Host"] }],
    };
    expect(diff(spec, MOTO_CONFIG)).toEqual([]);
  });

  it("sends header names as written, so a name spelt otherwise is a difference", () => {
    const spec: DistributionSpec = {
      ...SPEC,
      behaviors: [{ ...SPEC.behaviors![0]!, forwardHeaders: ["content-type", "Authorization", "Host"] }],
    };
    expect(diff(spec, MOTO_CONFIG).map((c) => [c.path, c.after])).toEqual([["behaviors", expect.anything()]]);
    const sent = applyDesired(MOTO_CONFIG, desiredDistribution(SPEC, resolver()).attributes);
    expect(sent.CacheBehaviors?.Items?.[0]?.ForwardedValues?.Headers?.Items).toEqual([
      "Authorization",
      "Content-Type",
      "Host",
    ]);
  });

  it("treats behaviour order as meaningful", () => {
    const two: DistributionSpec = {
      ...SPEC,
      behaviors: [...SPEC.behaviors!, { path: "/static/*", origin: "frontend" }],
    };
    const live = newConfig("ref", desiredDistribution(two, resolver()).attributes);
    const swapped: DistributionSpec = { ...two, behaviors: [...two.behaviors!].reverse() };
    expect(diff(two, live)).toEqual([]);
    expect(diff(swapped, live).map((c) => c.path)).toEqual(["behaviors"]);
  });

  it("shows a changed origin domain at its own path, and a dropped origin as removed", () => {
    const spec: DistributionSpec = {
      ...SPEC,
      origins: { frontend: { domain: "other.s3-website-us-west-1.amazonaws.com", protocol: "http-only" } },
      behaviors: [],
    };
    const changes = diff(spec, MOTO_CONFIG).map((c) => [c.path, c.after]);
    expect(changes).toContainEqual(["origins.frontend.domain", "other.s3-website-us-west-1.amazonaws.com"]);
    expect(changes).toContainEqual(["origins.api", null]);
  });

  it("reads an ACM certificate even when the default-certificate flag is also set", () => {
    expect(canonicalFromConfig(MOTO_CONFIG).certificate).toEqual({
      arn: CERT,
      minimumProtocolVersion: "TLSv1.2_2021",
    });
    const plain = canonicalFromConfig({
      ...MOTO_CONFIG,
      ViewerCertificate: { CloudFrontDefaultCertificate: true },
    });
    expect(plain.certificate?.arn).toBeNull();
  });

  it("counts headers only for legacy forwarding, not next to a cache policy", () => {
    const live = canonicalFromConfig(MOTO_CONFIG);
    expect(live.defaultBehavior).toMatchObject({
      cachePolicyId: CACHING_OPTIMIZED_POLICY,
      forwardHeaders: [],
      compress: true,
    });
    expect(live.behaviors?.[0]).toMatchObject({
      cachePolicyId: null,
      forwardHeaders: ["Authorization", "Content-Type", "Host"],
      allowedMethods: "all",
    });
  });

  it("names method sets regardless of order and keeps unusual ones visible", () => {
    expect(methodSetName(["HEAD", "GET"])).toBe("get-head");
    expect(methodSetName(["OPTIONS", "get", "HEAD"])).toBe("get-head-options");
    expect(methodSetName(["GET", "HEAD", "POST"])).toBe("GET,HEAD,POST");
  });

  it("keeps an interpolated origin Unknown until it exists, and resolves it once it does", () => {
    const spec: DistributionSpec = {
      ...SPEC,
      origins: {
        ...SPEC.origins,
        frontend: { domain: "${buckets.frontend.websiteDomain}", protocol: "http-only" },
      },
    };
    expect(desiredDistribution(spec, resolver()).attributes.origins.frontend?.domain).toEqual({
      $unknown: "${buckets.frontend.websiteDomain}",
    });
    const known = resolver({
      "buckets.frontend": { websiteDomain: "Web.s3-website-us-west-1.amazonaws.com" },
    });
    expect(desiredDistribution(spec, known).attributes.origins.frontend?.domain).toBe(
      "web.s3-website-us-west-1.amazonaws.com",
    );
  });

  it("reports a certificate missing from us-east-1", () => {
    const { errors } = desiredDistribution({ ...SPEC, certificate: { domain: "*.other.com" } }, resolver());
    expect(errors.map((e) => e.message)).toEqual(["no ISSUED ACM certificate for *.other.com in us-east-1"]);
  });
});

describe("writing the file's settings into a DistributionConfig", () => {
  it("round-trips: a new config reads back as exactly what the file asked for", () => {
    const want = desiredDistribution(SPEC, resolver()).attributes;
    const config = newConfig("parity-ref", want);
    expect(config.CallerReference).toBe("parity-ref");
    expect(config.ViewerCertificate).toEqual({
      ACMCertificateArn: CERT,
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: "TLSv1.2_2021",
    });
    expect(compareAttributes(asAttrs(want), asAttrs(canonicalFromConfig(config)), { replaceOn: [] })).toEqual(
      [],
    );
  });

  it("changes only what the file controls and keeps everything else of the current config", () => {
    const want = desiredDistribution({ ...SPEC, comment: "new" }, resolver()).attributes;
    const next = applyDesired(MOTO_CONFIG, want);
    expect(next.Comment).toBe("new");
    expect(next.Logging).toEqual(MOTO_CONFIG.Logging);
    expect(next.HttpVersion).toBe("http2");
    expect(next.Origins?.Items?.[0]?.OriginShield).toEqual({ Enabled: false });
    expect(next.Origins?.Items?.[0]?.CustomOriginConfig?.OriginReadTimeout).toBe(30);
    // An empty SSL protocol list would be rejected by CloudFront: a sane one is filled in.
    expect(next.Origins?.Items?.[0]?.CustomOriginConfig?.OriginSslProtocols).toEqual({
      Quantity: 1,
      Items: ["TLSv1.2"],
    });
    expect(MOTO_CONFIG.Comment).toBe("staging");
  });

  it("drops the legacy settings when a behaviour moves to a cache policy, and the policy when it forwards headers", () => {
    const want = desiredDistribution(
      { ...SPEC, behaviors: [{ path: "/api/*", origin: "api", cachePolicyId: CACHING_OPTIMIZED_POLICY }] },
      resolver(),
    ).attributes;
    const api = applyDesired(MOTO_CONFIG, want).CacheBehaviors?.Items?.[0];
    expect(api?.CachePolicyId).toBe(CACHING_OPTIMIZED_POLICY);
    expect(api?.ForwardedValues).toBeUndefined();
    expect(api?.MinTTL).toBeUndefined();
    expect(api?.OriginRequestPolicyId).toBeUndefined();

    const legacy = applyDesired(MOTO_CONFIG, desiredDistribution(SPEC, resolver()).attributes).CacheBehaviors
      ?.Items?.[0];
    expect(legacy?.CachePolicyId).toBeUndefined();
    expect(legacy?.ForwardedValues?.Headers).toEqual({
      Quantity: 3,
      Items: ["Authorization", "Content-Type", "Host"],
    });
    expect(legacy?.MinTTL).toBe(0);
  });
});
