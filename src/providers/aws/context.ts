import { ACMClient } from "@aws-sdk/client-acm";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { createHash } from "node:crypto";
import type { EnvironmentInfo } from "../../engine/types.js";

export type AwsOptions = {
  region: string;
  /** Overrides every service endpoint (LocalStack, moto); unset means real AWS. */
  endpoint?: string;
  /** Called once per API request, e.g. to count calls or log them with --verbose. */
  onCall?: (service: string, operation: string) => void;
};

type AnyClientConfig = { region: string; endpoint?: string; forcePathStyle?: boolean; maxAttempts?: number };

/** Everything a resource type needs to talk to AWS for one environment. Clients are made on first use. */
export class AwsContext {
  private readonly made = new Map<string, unknown>();

  constructor(
    readonly options: AwsOptions,
    readonly env: EnvironmentInfo,
  ) {}

  get region(): string {
    return this.options.region;
  }

  private client<T extends { middlewareStack: { add(middleware: never, options: never): void } }>(
    key: string,
    make: (config: AnyClientConfig) => T,
    region = this.options.region,
  ): T {
    const cacheKey = `${key}:${region}`;
    const existing = this.made.get(cacheKey);
    if (existing) return existing as T;
    const config: AnyClientConfig = { region, maxAttempts: 5 };
    if (this.options.endpoint) config.endpoint = this.options.endpoint;
    if (key === "s3" && this.options.endpoint) config.forcePathStyle = true;
    const client = make(config);
    const onCall = this.options.onCall;
    if (onCall) {
      const counter: CallCounter = (next, context) => (args) => {
        onCall(key, String(context.commandName ?? "?").replace(/Command$/, ""));
        return next(args);
      };
      client.middlewareStack.add(
        counter as never,
        { step: "finalizeRequest", name: "parityCallCounter" } as never,
      );
    }
    this.made.set(cacheKey, client);
    return client;
  }

  get ec2(): EC2Client {
    return this.client("ec2", (c) => new EC2Client(c));
  }
  get elbv2(): ElasticLoadBalancingV2Client {
    return this.client("elbv2", (c) => new ElasticLoadBalancingV2Client(c));
  }
  get rds(): RDSClient {
    return this.client("rds", (c) => new RDSClient(c));
  }
  get s3(): S3Client {
    return this.client("s3", (c) => new S3Client(c));
  }
  get ssm(): SSMClient {
    return this.client("ssm", (c) => new SSMClient(c));
  }
  /** Route53 and CloudFront are global; their APIs live in us-east-1. */
  get route53(): Route53Client {
    return this.client("route53", (c) => new Route53Client(c), "us-east-1");
  }
  get cloudfront(): CloudFrontClient {
    return this.client("cloudfront", (c) => new CloudFrontClient(c), "us-east-1");
  }
  acm(region = this.options.region): ACMClient {
    return this.client("acm", (c) => new ACMClient(c), region);
  }

  /**
   * A deterministic idempotency token: the same environment, address and purpose always give the
   * same token, so a retried or re-run apply is recognised by AWS instead of duplicating.
   */
  token(address: string, purpose = "create", maxLength = 64): string {
    const digest = createHash("sha256")
      .update(`${this.env.environment}|${this.region}|${address}|${purpose}`)
      .digest("hex");
    return `parity-${digest}`.slice(0, maxLength);
  }

  destroy(): void {
    for (const client of this.made.values()) (client as { destroy(): void }).destroy();
    this.made.clear();
  }
}

type CallCounter = (
  next: (args: unknown) => Promise<unknown>,
  context: { commandName?: string },
) => (args: unknown) => Promise<unknown>;
