import { ACMClient, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { CloudFrontClient, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListHostedZonesCommand, Route53Client } from "@aws-sdk/client-route-53";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { FAULT_KINDS, startFaultProxy } from "../support/faultProxy.js";
import type { FaultKind, FaultProxy } from "../support/faultProxy.js";

process.env.AWS_ACCESS_KEY_ID ??= "testing";
process.env.AWS_SECRET_ACCESS_KEY ??= "testing";

type Seen = { method: string; url: string; body: string };

/** Stands in for moto: records what reached it and answers with an empty EC2-style success. */
async function upstream(): Promise<{ endpoint: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcSet/></DescribeVpcsResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, seen, server };
}

const open: { proxy: FaultProxy; server: Server }[] = [];
afterEach(async () => {
  for (const { proxy, server } of open.splice(0)) {
    await proxy.stop();
    await new Promise((r) => server.close(r));
  }
});

async function proxied(
  options: Parameters<typeof startFaultProxy>[0] extends infer O ? Omit<O, "target"> : never,
) {
  const up = await upstream();
  const proxy = await startFaultProxy({ target: up.endpoint, ...options });
  open.push({ proxy, server: up.server });
  return { proxy, seen: up.seen };
}

const region = "us-west-1";
const once = { maxAttempts: 1 };

async function failure(call: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await call();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("the call succeeded");
}

describe("the fault-injecting proxy", () => {
  it("passes every call through unchanged when the fault rate is 0", async () => {
    const { proxy, seen } = await proxied({ seed: 1, rate: 0 });
    const ec2 = new EC2Client({ region, endpoint: proxy.endpoint, ...once });
    const out = await ec2.send(new DescribeVpcsCommand({}));
    expect(out.Vpcs).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toContain("Action=DescribeVpcs");
    expect(proxy.calls).toEqual([{ service: "ec2", operation: "DescribeVpcs" }]);
    expect(proxy.log).toEqual([]);
  });

  it("records when each call was under way, without changing what it answers", async () => {
    // moto's stand-in holds the call for one VPC until the test releases it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        void (body.includes("vpc-held") ? held : Promise.resolve()).then(() => {
          res.writeHead(200, { "content-type": "text/xml" });
          res.end("<DescribeVpcsResponse><requestId>r</requestId><vpcSet/></DescribeVpcsResponse>");
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const proxy = await startFaultProxy({ target: `http://127.0.0.1:${port}` });
    open.push({ proxy, server });
    const ec2 = new EC2Client({ region, endpoint: proxy.endpoint, ...once });
    const holding = ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-held"] }));
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toEqual([]);
    // Answered while the held call was out: the proxy saw the two overlap.
    const during = proxy.spans.find((s) => s.endMs !== undefined);
    const long = proxy.spans.find((s) => s.endMs === undefined);
    release();
    expect((await holding).Vpcs).toEqual([]);
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toEqual([]);
    expect(proxy.calls).toEqual(Array(3).fill({ service: "ec2", operation: "DescribeVpcs" }));
    const after = proxy.spans[2];
    expect(proxy.spans).toHaveLength(3);
    expect(during?.startMs).toBeLessThan(during?.endMs ?? NaN);
    expect(long?.endMs).toBeGreaterThan(during?.endMs ?? NaN);
    expect(after?.startMs).toBeGreaterThanOrEqual(long?.endMs ?? NaN);
    expect(after?.endMs).toBeGreaterThanOrEqual(after?.startMs ?? NaN);
  });

  it("answers throttling in each protocol's shape, read by the SDK as that service's throttling error", async () => {
    const { proxy, seen } = await proxied({
      rules: [{ operation: /.*/, fault: "throttle" }],
    });
    const endpoint = proxy.endpoint;
    const names = {
      ec2: (
        await failure(() => new EC2Client({ region, endpoint, ...once }).send(new DescribeVpcsCommand({})))
      ).name,
      elbv2: (
        await failure(() =>
          new ElasticLoadBalancingV2Client({ region, endpoint, ...once }).send(
            new DescribeLoadBalancersCommand({}),
          ),
        )
      ).name,
      rds: (
        await failure(() =>
          new RDSClient({ region, endpoint, ...once }).send(new DescribeDBInstancesCommand({})),
        )
      ).name,
      ssm: (
        await failure(() =>
          new SSMClient({ region, endpoint, ...once }).send(new GetParameterCommand({ Name: "x" })),
        )
      ).name,
      acm: (
        await failure(() =>
          new ACMClient({ region, endpoint, ...once }).send(new ListCertificatesCommand({})),
        )
      ).name,
      s3: (
        await failure(() =>
          new S3Client({ region, endpoint, forcePathStyle: true, ...once }).send(new ListBucketsCommand({})),
        )
      ).name,
      route53: (
        await failure(() =>
          new Route53Client({ region: "us-east-1", endpoint, ...once }).send(new ListHostedZonesCommand({})),
        )
      ).name,
      cloudfront: (
        await failure(() =>
          new CloudFrontClient({ region: "us-east-1", endpoint, ...once }).send(
            new ListDistributionsCommand({}),
          ),
        )
      ).name,
    };
    expect(names).toEqual({
      ec2: "RequestLimitExceeded",
      elbv2: "Throttling",
      rds: "Throttling",
      ssm: "ThrottlingException",
      acm: "ThrottlingException",
      s3: "SlowDown",
      route53: "Throttling",
      cloudfront: "Throttling",
    });
    expect(seen).toEqual([]);
    expect(proxy.log.map((e) => `${e.service} ${e.operation}`)).toEqual([
      "ec2 DescribeVpcs",
      "elasticloadbalancing DescribeLoadBalancers",
      "rds DescribeDBInstances",
      "ssm GetParameter",
      "acm ListCertificates",
      "s3 GET /",
      "route53 GET /2013-04-01/hostedzone",
      "cloudfront GET /2020-05-31/distribution",
    ]);
  });

  it.each([
    ["error500", 500],
    ["unavailable503", 503],
  ] as const)("answers %s with that status in the protocol's shape", async (fault, status) => {
    const { proxy, seen } = await proxied({ rules: [{ operation: "GetParameter", fault }] });
    const error = await failure(() =>
      new SSMClient({ region, endpoint: proxy.endpoint, ...once }).send(
        new GetParameterCommand({ Name: "x" }),
      ),
    );
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(status);
    expect(error.name).toBe(fault === "error500" ? "InternalServerError" : "ServiceUnavailable");
    expect(seen).toEqual([]);
  });

  it("drops the connection before the request reaches the server", async () => {
    const { proxy, seen } = await proxied({ rules: [{ operation: "DescribeVpcs", fault: "dropBefore" }] });
    const error = await failure(() =>
      new EC2Client({ region, endpoint: proxy.endpoint, ...once }).send(new DescribeVpcsCommand({})),
    );
    expect(error.code).toBe("ECONNRESET");
    expect(seen).toEqual([]);
  });

  it("drops the connection after the server has carried the request out", async () => {
    const { proxy, seen } = await proxied({ rules: [{ operation: "DescribeVpcs", fault: "dropAfter" }] });
    const error = await failure(() =>
      new EC2Client({ region, endpoint: proxy.endpoint, ...once }).send(new DescribeVpcsCommand({})),
    );
    expect(error.code).toBe("ECONNRESET");
    expect(seen).toHaveLength(1);
  });

  it("never answers a hung call, and never forwards it", async () => {
    const { proxy, seen } = await proxied({ rules: [{ operation: "DescribeVpcs", fault: "hang" }] });
    const ec2 = new EC2Client({
      region,
      endpoint: proxy.endpoint,
      ...once,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    const error = await failure(() => ec2.send(new DescribeVpcsCommand({})));
    expect(error.name).toBe("TimeoutError");
    expect(seen).toEqual([]);
  });

  it("answers a slow call with the server's answer, late", async () => {
    const { proxy, seen } = await proxied({
      slowMs: 50,
      rules: [{ operation: "DescribeVpcs", fault: "slow" }],
    });
    const out = await new EC2Client({ region, endpoint: proxy.endpoint, ...once }).send(
      new DescribeVpcsCommand({}),
    );
    expect(out.Vpcs).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(proxy.log.map((e) => e.fault)).toEqual(["slow"]);
  });

  it("applies a rule only as many times as it says, then passes calls through", async () => {
    const { proxy, seen } = await proxied({
      rules: [{ operation: "DescribeVpcs", fault: "throttle", times: 2 }],
    });
    // The SDK retries the throttled call; the third attempt gets through.
    const out = await new EC2Client({ region, endpoint: proxy.endpoint, maxAttempts: 3 }).send(
      new DescribeVpcsCommand({}),
    );
    expect(out.$metadata.attempts).toBe(3);
    expect(seen).toHaveLength(1);
  });

  it("injects the same faults for the same seed, whatever the order of other calls", async () => {
    const run = async (seed: number, order: ("get" | "describe")[]) => {
      const { proxy } = await proxied({ seed, rate: 0.5, kinds: ["throttle", "error500"] });
      const ssm = new SSMClient({ region, endpoint: proxy.endpoint, ...once });
      for (const call of order) {
        const command =
          call === "get" ? new GetParameterCommand({ Name: "p" }) : new DescribeParametersCommand({});
        await ssm.send(command as GetParameterCommand).catch(() => undefined);
      }
      return proxy.log.map((e) => `${e.operation}:${e.fault}`).sort();
    };
    const interleaved = Array.from({ length: 40 }, (_, i): "get" | "describe" =>
      i % 2 ? "get" : "describe",
    );
    const grouped = [...interleaved].sort();
    const first = await run(7, interleaved);
    expect(await run(7, grouped)).toEqual(first);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(35);
    expect(await run(8, interleaved)).not.toEqual(first);
  });

  it("chooses among the fault kinds it is given, at about the rate it is given", async () => {
    const { proxy } = await proxied({ seed: 3, rate: 0.2, kinds: ["throttle", "dropBefore", "error500"] });
    const ssm = new SSMClient({ region, endpoint: proxy.endpoint, ...once });
    for (let i = 0; i < 200; i++)
      await ssm.send(new GetParameterCommand({ Name: "p" })).catch(() => undefined);
    const counts = proxy.counts();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20);
    expect(total).toBeLessThan(60);
    const used = (Object.keys(counts) as FaultKind[]).filter((k) => counts[k] > 0).sort();
    expect(used).toEqual(["dropBefore", "error500", "throttle"]);
    expect(FAULT_KINDS).toHaveLength(7);
  });
});
