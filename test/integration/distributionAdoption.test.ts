import { ACMClient, RequestCertificateCommand } from "@aws-sdk/client-acm";
import {
  CloudFrontClient,
  CreateDistributionCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudfront";
import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const FRONTEND = "muaz-mesh-web-staging.s3-website-us-west-1.amazonaws.com";
const API = "webdev-alb-stg-1.us-west-1.elb.amazonaws.com";
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

function file(extra = ""): string {
  return `
environment: cfadopt
region: us-west-1
distributions:
  site:
${extra}    comment: khorium staging
    aliases: [staging.khorium.ai]
    certificate: { domain: "*.khorium.ai" }
    origins:
      frontend: { domain: ${FRONTEND}, protocol: http-only }
      api: { domain: ${API}, protocol: http-only }
    defaultBehavior: { origin: frontend, viewerProtocol: redirect-to-https }
    behaviors:
      - { path: "/api/*", origin: api, forwardHeaders: [Host, Authorization, Content-Type], forwardCookies: none, allowedMethods: all }
`;
}

function origin(id: string, domain: string) {
  return {
    Id: id,
    DomainName: domain,
    CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" as const },
  };
}

/** The runbook's `aws cloudfront create-distribution --distribution-config file://staging-cf.json`. */
function runbookConfig(reference: string, certificate: string, aliases: string[]): DistributionConfig {
  return {
    CallerReference: reference,
    Comment: "khorium staging",
    Enabled: true,
    Aliases: { Quantity: aliases.length, Items: aliases },
    ViewerCertificate: {
      ACMCertificateArn: certificate,
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: "TLSv1.2_2021",
    },
    Origins: { Quantity: 2, Items: [origin("frontend", FRONTEND), origin("api", API)] },
    DefaultCacheBehavior: {
      TargetOriginId: "frontend",
      ViewerProtocolPolicy: "redirect-to-https",
      CachePolicyId: CACHING_OPTIMIZED,
      Compress: true,
    },
    CacheBehaviors: {
      Quantity: 1,
      Items: [
        {
          PathPattern: "/api/*",
          TargetOriginId: "api",
          ViewerProtocolPolicy: "redirect-to-https",
          Compress: true,
          AllowedMethods: {
            Quantity: 7,
            Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
          },
          ForwardedValues: {
            QueryString: true,
            Cookies: { Forward: "none" },
            Headers: { Quantity: 3, Items: ["Host", "Authorization", "Content-Type"] },
          },
          MinTTL: 0,
        },
      ],
    },
  };
}

async function handMade(endpoint: string, reference: string, aliases = ["staging.khorium.ai"]) {
  const acm = new ACMClient({ region: "us-east-1", endpoint });
  const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
  try {
    const cert = await acm.send(
      new RequestCertificateCommand({ DomainName: "*.khorium.ai", ValidationMethod: "DNS" }),
    );
    const made = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: runbookConfig(reference, cert.CertificateArn ?? "", aliases),
      }),
    );
    return { id: made.Distribution?.Id ?? "", arn: made.Distribution?.ARN ?? "" };
  } finally {
    acm.destroy();
    cloudfront.destroy();
  }
}

async function liveDistributions(endpoint: string) {
  const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
  try {
    const list = await cloudfront.send(new ListDistributionsCommand({}));
    return list.DistributionList?.Items ?? [];
  } finally {
    cloudfront.destroy();
  }
}

async function tagsOf(endpoint: string, arn: string) {
  const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
  try {
    return (await cloudfront.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items ?? [];
  } finally {
    cloudfront.destroy();
  }
}

describe("adopting a distribution made by hand", () => {
  it("adopts it by alias with no attribute changes, tags it, and re-plans clean", async () => {
    const endpoint = emulator().endpoint;
    const made = await handMade(endpoint, "khorium-staging-site");
    const env = writeEnvironment(file());

    const plan = await planFile(env, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt distributions.site"]);
    expect(change(plan.plan, "distributions.site").id).toBe(made.id);
    expect(change(plan.plan, "distributions.site").attributes).toEqual([]);
    plan.ctx.destroy();
    await applyFile(env, endpoint);

    expect((await liveDistributions(endpoint)).map((d) => d.Id)).toEqual([made.id]);
    expect(await tagsOf(endpoint, made.arn)).toEqual(
      expect.arrayContaining([{ Key: "parity:address", Value: "distributions.site" }]),
    );
    const again = await planFile(env, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
  });

  it("adopts the one the file names by id, and refuses an id that does not exist", async () => {
    const endpoint = emulator().endpoint;
    await handMade(endpoint, "khorium-staging-site");
    const other = await handMade(endpoint, "khorium-staging-site-2", ["other.khorium.ai"]);
    const env = writeEnvironment(file(`    id: ${other.id}\n`));
    const plan = await planFile(env, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt distributions.site"]);
    expect(change(plan.plan, "distributions.site").id).toBe(other.id);
    plan.ctx.destroy();

    const missing = writeEnvironment(file("    id: E0NOTHERE\n"));
    await expect(planFile(missing, endpoint)).rejects.toThrow(/no distribution E0NOTHERE exists to adopt/);
  });

  it("refuses to guess between two distributions serving the alias, naming both", async () => {
    const endpoint = emulator().endpoint;
    const first = await handMade(endpoint, "khorium-staging-site");
    const second = await handMade(endpoint, "khorium-staging-site-again");
    const env = writeEnvironment(file());
    const both = [first.id, second.id].sort();
    await expect(planFile(env, endpoint)).rejects.toThrow(
      new RegExp(`distributions ${both[0]} and ${both[1]} both serve staging.khorium.ai`),
    );
    expect(await liveDistributions(endpoint)).toHaveLength(2);
  });
});
