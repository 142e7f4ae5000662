import { ACMClient, RequestCertificateCommand } from "@aws-sdk/client-acm";
import {
  CloudFrontClient,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySession } from "../../src/cli/workflow.js";
import type { ApplyEvent } from "../../src/engine/types.js";
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

const HEADER = `
environment: cftest
region: us-west-1
`;

function site(headers: string, behaviors?: string): string {
  return `${HEADER}
distributions:
  site:
    aliases: [staging.example.com]
    certificate: { domain: "*.example.com" }
    comment: staging front end
    priceClass: PriceClass_100
    origins:
      frontend: { domain: web-staging.s3-website-us-west-1.amazonaws.com, protocol: http-only }
      api: { domain: web-stg-1.us-west-1.elb.amazonaws.com, protocol: http-only }
    defaultBehavior: { origin: frontend, viewerProtocol: redirect-to-https }
    behaviors:
${
  behaviors ??
  `      - { path: "/api/*", origin: api, forwardHeaders: [${headers}], allowedMethods: all }
      - { path: "/static/*", origin: frontend }`
}
`;
}

const FILE = site("Host, Authorization, Content-Type");

function cloudfront(endpoint: string): CloudFrontClient {
  return new CloudFrontClient({ region: "us-east-1", endpoint });
}

async function requestCertificate(endpoint: string, domain: string): Promise<string> {
  const acm = new ACMClient({ region: "us-east-1", endpoint });
  const answer = await acm.send(
    new RequestCertificateCommand({ DomainName: domain, ValidationMethod: "DNS" }),
  );
  return answer.CertificateArn ?? "";
}

async function onlyDistribution(endpoint: string) {
  const list = await cloudfront(endpoint).send(new ListDistributionsCommand({}));
  const items = list.DistributionList?.Items ?? [];
  expect(items).toHaveLength(1);
  const id = items[0]?.Id ?? "";
  const config = await cloudfront(endpoint).send(new GetDistributionConfigCommand({ Id: id }));
  return { id, arn: items[0]?.ARN ?? "", config: config.DistributionConfig!, etag: config.ETag ?? "" };
}

describe("distributions against moto", () => {
  it("creates, re-plans clean, reverts an out-of-band comment, and deletes", async () => {
    const endpoint = emulator().endpoint;
    const certificate = await requestCertificate(endpoint, "*.example.com");
    const file = writeEnvironment(FILE);

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual(["create distributions.site"]);
    expect(change(first.plan, "distributions.site").risks).toEqual([]);
    expect(change(first.plan, "distributions.site").expectedSeconds).toBeGreaterThanOrEqual(300);
    first.ctx.destroy();
    await applyFile(file, endpoint);

    const made = await onlyDistribution(endpoint);
    expect(made.config.CallerReference).toMatch(/^parity-/);
    expect(made.config.Aliases?.Items).toEqual(["staging.example.com"]);
    expect(made.config.ViewerCertificate?.ACMCertificateArn).toBe(certificate);
    expect(made.config.ViewerCertificate?.SSLSupportMethod).toBe("sni-only");
    expect(made.config.ViewerCertificate?.MinimumProtocolVersion).toBe("TLSv1.2_2021");
    expect(made.config.Origins?.Items?.map((o) => o.Id).sort()).toEqual(["api", "frontend"]);
    const api = made.config.CacheBehaviors?.Items?.[0];
    expect(api?.PathPattern).toBe("/api/*");
    expect(api?.TargetOriginId).toBe("api");
    expect(api?.ViewerProtocolPolicy).toBe("redirect-to-https");
    expect(api?.AllowedMethods?.Items).toHaveLength(7);
    expect(api?.ForwardedValues?.Headers?.Items?.sort()).toEqual(["Authorization", "Content-Type", "Host"]);
    const tags = await cloudfront(endpoint).send(new ListTagsForResourceCommand({ Resource: made.arn }));
    expect(tags.Tags?.Items).toEqual(
      expect.arrayContaining([
        { Key: "parity:address", Value: "distributions.site" },
        { Key: "parity:environment", Value: "cftest" },
      ]),
    );

    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // Someone edits the comment in the console: the plan shows exactly that.
    await cloudfront(endpoint).send(
      new UpdateDistributionCommand({
        Id: made.id,
        IfMatch: made.etag,
        DistributionConfig: { ...made.config, Comment: "edited by hand" },
      }),
    );
    const drift = await planFile(file, endpoint);
    expect(actions(drift.plan)).toEqual(["update distributions.site"]);
    const attributes = change(drift.plan, "distributions.site").attributes;
    expect(attributes.map((a) => [a.path, a.before, a.after])).toEqual([
      ["comment", "edited by hand", "staging front end"],
    ]);
    drift.ctx.destroy();
    await applyFile(file, endpoint);
    expect((await onlyDistribution(endpoint)).config.Comment).toBe("staging front end");

    const clean = await planFile(file, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();

    writeFileSync(file, HEADER);
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual(["delete distributions.site"]);
    expect(change(removal.plan, "distributions.site").risks).toEqual(["downtime"]);
    const events: ApplyEvent[] = [];
    try {
      const result = await applySession(removal, { events: (e) => events.push(e) });
      expect(result.failed).toEqual([]);
    } finally {
      removal.ctx.destroy();
    }
    expect(events.some((e) => e.type === "progress" && e.message.includes("disabled"))).toBe(true);
    await expect(
      cloudfront(endpoint).send(new GetDistributionCommand({ Id: made.id })),
    ).rejects.toMatchObject({
      name: "NoSuchDistribution",
    });
  });

  it("sends header names as written, and forwards no cookies and no query string where the file says so", async () => {
    const endpoint = emulator().endpoint;
    await requestCertificate(endpoint, "*.example.com");
    const file = writeEnvironment(
      site(
        "",
        `      - { path: "/api/*", origin: api, forwardHeaders: [Host, Authorization, Content-Type], forwardCookies: none, forwardQueryString: false, allowedMethods: all }
      - { path: "/auth/*", origin: api, forwardHeaders: [Authorization], forwardCookies: [session, csrf] }`,
      ),
    );
    await applyFile(file, endpoint);
    const [api, auth] = (await onlyDistribution(endpoint)).config.CacheBehaviors?.Items ?? [];
    expect(api?.ForwardedValues?.Headers?.Items).toEqual(["Authorization", "Content-Type", "Host"]);
    expect(api?.ForwardedValues?.Cookies?.Forward).toBe("none");
    expect(api?.ForwardedValues?.QueryString).toBe(false);
    expect(auth?.ForwardedValues?.Cookies).toMatchObject({
      Forward: "whitelist",
      WhitelistedNames: { Items: ["csrf", "session"] },
    });
    expect(auth?.ForwardedValues?.QueryString).toBe(true);
    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
  });

  it("ignores header order, but not behaviour order", async () => {
    const endpoint = emulator().endpoint;
    await requestCertificate(endpoint, "*.example.com");
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);

    writeFileSync(file, site("Content-Type, Host, Authorization"));
    const headers = await planFile(file, endpoint);
    expect(actions(headers.plan)).toEqual([]);
    headers.ctx.destroy();

    const swapped = site(
      "",
      `      - { path: "/static/*", origin: frontend }
      - { path: "/api/*", origin: api, forwardHeaders: [Host, Authorization, Content-Type], allowedMethods: all }`,
    );
    writeFileSync(file, swapped);
    const order = await planFile(file, endpoint);
    expect(actions(order.plan)).toEqual(["update distributions.site"]);
    expect(change(order.plan, "distributions.site").attributes.map((a) => a.path)).toEqual(["behaviors"]);
    order.ctx.destroy();
    await applyFile(file, endpoint);
    const paths = (await onlyDistribution(endpoint)).config.CacheBehaviors?.Items?.map((b) => b.PathPattern);
    expect(paths).toEqual(["/static/*", "/api/*"]);
    const settled = await planFile(file, endpoint);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();
  });

  it("reuses the distribution its CallerReference made when a create runs twice", async () => {
    const endpoint = emulator().endpoint;
    await requestCertificate(endpoint, "*.example.com");
    const file = writeEnvironment(FILE);
    const plan = await planFile(file, endpoint);
    try {
      expect((await applySession(plan)).failed).toEqual([]);
      // The same (now stale) plan again, as after an interrupted apply: no second distribution.
      expect((await applySession(plan)).failed).toEqual([]);
    } finally {
      plan.ctx.destroy();
    }
    await onlyDistribution(endpoint);
  });

  it("creates a distribution again at an address whose earlier one was deleted", async () => {
    const endpoint = emulator().endpoint;
    await requestCertificate(endpoint, "*.example.com");
    const file = writeEnvironment(FILE);
    await applyFile(file, endpoint);
    const first = await onlyDistribution(endpoint);
    writeFileSync(file, HEADER);
    await applyFile(file, endpoint);
    // The first one's CallerReference is spent: CloudFront refuses it for a new distribution.
    writeFileSync(file, FILE);
    await applyFile(file, endpoint);
    const second = await onlyDistribution(endpoint);
    expect(second.id).not.toBe(first.id);
    const clean = await planFile(file, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();
  });

  it("creates with a new CallerReference where the address's first one is spent, and a retry reuses it", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(`${HEADER}
distributions:
  site:
    origins: { web: { domain: web-staging.s3-website-us-west-1.amazonaws.com, protocol: http-only } }
    defaultBehavior: { origin: web }
`);
    await applyFile(file, endpoint);
    const first = await onlyDistribution(endpoint);
    // Released by hand (aws cloudfront untag-resource): it lives on, holding the first reference.
    await cloudfront(endpoint).send(
      new UntagResourceCommand({
        Resource: first.arn,
        TagKeys: { Items: ["parity:environment", "parity:address", "parity:region", "parity:project"] },
      }),
    );
    const plan = await planFile(file, endpoint);
    try {
      expect(actions(plan.plan)).toEqual(["create distributions.site"]);
      expect((await applySession(plan)).failed).toEqual([]);
      // The same plan again, as after a create that timed out: the new generation is found, not a third.
      expect((await applySession(plan)).failed).toEqual([]);
    } finally {
      plan.ctx.destroy();
    }
    const list = await cloudfront(endpoint).send(new ListDistributionsCommand({}));
    const ids = (list.DistributionList?.Items ?? []).map((d) => d.Id);
    expect(ids).toHaveLength(2);
    const second = ids.find((id) => id !== first.id) ?? "";
    const config = await cloudfront(endpoint).send(new GetDistributionConfigCommand({ Id: second }));
    expect(config.DistributionConfig?.CallerReference).not.toBe(first.config.CallerReference);
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("with --no-wait returns without waiting for the deployment", async () => {
    const endpoint = emulator().endpoint;
    await requestCertificate(endpoint, "*.example.com");
    const transition = (path: string, body: object) =>
      fetch(`${endpoint}/moto-api/state-manager/${path}`, { method: "POST", body: JSON.stringify(body) });
    // Stays InProgress for the next 5 reads; without --no-wait this would poll for a minute.
    await transition("set-transition", {
      model_name: "cloudfront::distribution",
      transition: { progression: "manual", times: 5 },
    });
    try {
      const file = writeEnvironment(FILE);
      const plan = await planFile(file, endpoint);
      const events: ApplyEvent[] = [];
      try {
        expect((await applySession(plan, { noWait: true, events: (e) => events.push(e) })).failed).toEqual(
          [],
        );
      } finally {
        plan.ctx.destroy();
      }
      const progress = events
        .filter((e) => e.type === "progress")
        .map((e) => (e.type === "progress" ? e.message : ""));
      expect(progress.some((m) => m.includes("not waiting") && m.includes("--no-wait"))).toBe(true);
      // Still InProgress: had apply polled the deployment, these reads would have made it Deployed.
      const { id } = await onlyDistribution(endpoint);
      const status = await cloudfront(endpoint).send(new GetDistributionCommand({ Id: id }));
      expect(status.Distribution?.Status).toBe("InProgress");
    } finally {
      await transition("unset-transition", { model_name: "cloudfront::distribution" });
    }
  });

  it("reports a missing us-east-1 certificate as a plan error", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE.replace('"*.example.com"', '"*.nowhere.example"'));
    await expect(planFile(file, endpoint)).rejects.toThrow(
      /no ISSUED ACM certificate for \*\.nowhere\.example in us-east-1/,
    );
  });
});
