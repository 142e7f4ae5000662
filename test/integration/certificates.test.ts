import {
  ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  RequestCertificateCommand,
} from "@aws-sdk/client-acm";
import {
  CloudFrontClient,
  GetDistributionCommand,
  ListDistributionsCommand,
} from "@aws-sdk/client-cloudfront";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import type { ResourceRecordSet } from "@aws-sdk/client-route-53";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  actions,
  applyFile,
  change,
  livePlan,
  planFile,
  useMoto,
  writeEnvironment,
} from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: certtest
region: us-west-1
dns:
  zone: certtest.example
  records:
    - { name: app.certtest.example, type: CNAME, values: [origin.certtest.example] }
`;

const CERTIFICATES = `
certificates:
  site: { domain: "*.certtest.example", subjectAlternativeNames: [certtest.example], region: us-east-1 }
  api: { domain: api.certtest.example }
`;

const USERS = `
securityGroups:
  alb: { name: certtest-alb, ingress: [{ port: 443, cidr: 0.0.0.0/0 }] }
targetGroups:
  web: { name: certtest-web, port: 8080, healthCheck: { path: /health } }
loadBalancers:
  web:
    name: certtest-alb
    securityGroups: [securityGroups.alb]
    listeners: [{ port: 443, protocol: HTTPS, certificate: certificates.api, forward: targetGroups.web }]
distributions:
  site:
    aliases: [www.certtest.example]
    certificate: certificates.site
    origins:
      api: { domain: "\${loadBalancers.web.dnsName}", protocol: http-only }
    defaultBehavior: { origin: api, viewerProtocol: redirect-to-https }
`;

function acm(endpoint: string, region: string): ACMClient {
  return new ACMClient({ region, endpoint });
}

async function createZone(endpoint: string, name: string): Promise<string> {
  const route53 = new Route53Client({ region: "us-east-1", endpoint });
  const zone = await route53.send(
    new CreateHostedZoneCommand({ Name: name, CallerReference: `test-${name}` }),
  );
  return zone.HostedZone?.Id ?? "";
}

async function recordSets(endpoint: string, zoneId: string): Promise<ResourceRecordSet[]> {
  const route53 = new Route53Client({ region: "us-east-1", endpoint });
  const found = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return found.ResourceRecordSets ?? [];
}

async function certificatesIn(endpoint: string, region: string) {
  const found = await acm(endpoint, region).send(new ListCertificatesCommand({}));
  return found.CertificateSummaryList ?? [];
}

/** The CNAMEs ACM asks for, as `name → value`, read back from ACM itself. */
async function validationCnames(endpoint: string, arn: string): Promise<Map<string, string>> {
  const region = arn.split(":")[3] ?? "";
  const found = await acm(endpoint, region).send(new DescribeCertificateCommand({ CertificateArn: arn }));
  return new Map(
    (found.Certificate?.DomainValidationOptions ?? []).map((o) => [
      o.ResourceRecord?.Name ?? "",
      o.ResourceRecord?.Value ?? "",
    ]),
  );
}

function cnames(sets: ResourceRecordSet[]): Map<string, string> {
  return new Map(
    sets.filter((s) => s.Type === "CNAME").map((s) => [s.Name ?? "", s.ResourceRecords?.[0]?.Value ?? ""]),
  );
}

describe("certificates", () => {
  it("requests certificates, validates them in the zone, and serves them to a listener and a distribution by reference", async () => {
    const endpoint = emulator().endpoint;
    const zoneId = await createZone(endpoint, "certtest.example");
    const file = writeEnvironment(HEAD + CERTIFICATES + USERS);

    const plan = await livePlan(file, endpoint);
    expect(actions(plan)).toContain("create certificates.site");
    expect(change(plan, "certificates.site").notes).toEqual([
      "write the DNS validation records for *.certtest.example, certtest.example into their hosted zone, then wait until ACM issues it",
    ]);
    // Created after the certificates they use, which the plan's order shows.
    const order = actions(plan);
    expect(order.indexOf("create certificates.api")).toBeLessThan(
      order.indexOf("create loadBalancers.web.listeners[443]"),
    );
    expect(order.indexOf("create certificates.site")).toBeLessThan(
      order.indexOf("create distributions.site"),
    );

    await applyFile(file, endpoint);

    const [site] = await certificatesIn(endpoint, "us-east-1");
    const [api] = await certificatesIn(endpoint, "us-west-1");
    expect(site).toMatchObject({ DomainName: "*.certtest.example", Status: "ISSUED" });
    expect(api).toMatchObject({ DomainName: "api.certtest.example", Status: "ISSUED" });
    const tags = await acm(endpoint, "us-east-1").send(
      new ListTagsForCertificateCommand({ CertificateArn: site?.CertificateArn }),
    );
    expect(tags.Tags).toEqual(
      expect.arrayContaining([{ Key: "parity:address", Value: "certificates.site" }]),
    );

    // Every record ACM asked for is in the zone, with the value ACM gave.
    const live = cnames(await recordSets(endpoint, zoneId));
    for (const arn of [site?.CertificateArn ?? "", api?.CertificateArn ?? ""])
      for (const [name, value] of await validationCnames(endpoint, arn)) expect(live.get(name)).toBe(value);

    const elbv2 = new ElasticLoadBalancingV2Client({ region: "us-west-1", endpoint });
    const [lb] =
      (await elbv2.send(new DescribeLoadBalancersCommand({ Names: ["certtest-alb"] }))).LoadBalancers ?? [];
    const [listener] =
      (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ??
      [];
    expect(listener?.Certificates?.[0]?.CertificateArn).toBe(api?.CertificateArn);

    const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
    const [summary] = (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
    const distribution = await cloudfront.send(new GetDistributionCommand({ Id: summary?.Id }));
    expect(distribution.Distribution?.DistributionConfig?.ViewerCertificate?.ACMCertificateArn).toBe(
      site?.CertificateArn,
    );

    expect(actions(await livePlan(file, endpoint))).toEqual([]);

    // The file drops the site certificate (and the distribution that used it): both go, and so
    // do the validation records only that certificate had.
    const siteRecords = await validationCnames(endpoint, site?.CertificateArn ?? "");
    writeFileSync(
      file,
      HEAD + CERTIFICATES.replace(/ {2}site:.*\n/, "") + USERS.replace(/distributions:[\s\S]*$/, ""),
    );
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual(["delete distributions.site", "delete certificates.site"]);
    expect(change(removal.plan, "certificates.site").notes).toEqual(["delete its 1 validation record"]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await certificatesIn(endpoint, "us-east-1")).toEqual([]);
    const after = await recordSets(endpoint, zoneId);
    for (const name of siteRecords.keys()) expect(cnames(after).has(name)).toBe(false);
    expect(after.some((s) => s.Name?.startsWith("parity-cname.") && siteRecords.has(s.Name.slice(13)))).toBe(
      false,
    );
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("adopts an issued certificate requested by hand for the same names, instead of requesting another", async () => {
    const endpoint = emulator().endpoint;
    await createZone(endpoint, "certtest.example");
    // aws acm request-certificate --domain-name api.certtest.example --validation-method DNS
    const byHand = await acm(endpoint, "us-west-1").send(
      new RequestCertificateCommand({ DomainName: "api.certtest.example", ValidationMethod: "DNS" }),
    );
    const file = writeEnvironment(`${HEAD}
certificates:
  api: { domain: api.certtest.example }
`);
    const plan = await livePlan(file, endpoint);
    expect(actions(plan)).toEqual([
      "adopt certificates.api",
      "create dns.records[app.certtest.example/CNAME]",
    ]);
    expect(change(plan, "certificates.api").id).toBe(byHand.CertificateArn);
    await applyFile(file, endpoint);
    expect((await certificatesIn(endpoint, "us-west-1")).map((c) => c.CertificateArn)).toEqual([
      byHand.CertificateArn,
    ]);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("refuses, at plan time, a distribution using a certificate outside us-east-1", async () => {
    const endpoint = emulator().endpoint;
    await createZone(endpoint, "certtest.example");
    const file = writeEnvironment(`${HEAD}
certificates:
  site: { domain: "*.certtest.example" }
distributions:
  site:
    aliases: [www.certtest.example]
    certificate: certificates.site
    origins:
      web: { domain: origin.certtest.example, protocol: http-only }
    defaultBehavior: { origin: web }
`);
    await expect(planFile(file, endpoint)).rejects.toThrow(
      "distributions.site: certificates.site is in us-west-1, but CloudFront takes certificates from us-east-1 only",
    );
  });
});
