import { ACMClient } from "@aws-sdk/client-acm";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { createHash } from "node:crypto";
import type { EnvironmentInfo } from "../../engine/types.js";
import { attemptLimitMs, DEFAULT_TIMEOUTS, idleLimitMs, recordCallSite } from "./calls.js";
import type { AwsTimeouts } from "./calls.js";

export type AwsOptions = {
  region: string;
  /** Overrides every service endpoint (LocalStack, moto); unset means real AWS. */
  endpoint?: string;
  /** A shared-config profile for this context's credentials, where two accounts are read at once. */
  profile?: string;
  /** Called once per API request, e.g. to count calls or log them with --verbose. */
  onCall?: (service: string, operation: string) => void;
  /**
   * Aborting it abandons every call in flight at once (a second Ctrl-C, SIGTERM). A function is
   * asked at each call, for contexts whose calls outlive the run's (the lock's release).
   */
  signal?: AbortSignal | (() => AbortSignal | undefined);
  /** Defaults to DEFAULT_TIMEOUTS; tests make them short so "never answers" costs seconds. */
  timeouts?: Partial<AwsTimeouts>;
  /**
   * Also read what no plan decision needs but a comparison of two live environments shows
   * (whether each bucket holds objects): a plan reads it only where it can change a change.
   */
  fullShape?: boolean;
};

type ClientConfig = {
  region: string;
  endpoint?: string;
  profile?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
  retryMode: "standard";
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    socketTimeout: number;
    throwOnRequestTimeout: true;
  };
};

/** What every client shares: `send`, and a middleware stack to hook into. */
type Client = {
  send(command: unknown, options?: CallOptions): Promise<unknown>;
  middlewareStack: { add(middleware: never, options: never): void };
  destroy(): void;
};
type CallOptions = { abortSignal?: AbortSignal; requestTimeout?: number };

/** Everything a resource type needs to talk to AWS for one environment. Clients are made on first use. */
export class AwsContext {
  private readonly made = new Map<string, Client>();
  private readonly own = new AbortController();
  private readonly reads = new Map<string, Promise<unknown>>();
  readonly timeouts: AwsTimeouts;

  constructor(
    readonly options: AwsOptions,
    readonly env: EnvironmentInfo,
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  /**
   * What may abandon a call starting now: the run's signal, or this context's end. A signal of
   * its own per call, so concurrent calls do not pile their listeners onto one shared signal.
   */
  private callSignal(): AbortSignal {
    const { signal } = this.options;
    const run = typeof signal === "function" ? signal() : signal;
    return AbortSignal.any(run ? [run, this.own.signal] : [this.own.signal]);
  }

  get region(): string {
    return this.options.region;
  }

  private client<T extends object>(
    key: string,
    make: (config: ClientConfig) => T,
    region = this.options.region,
  ): T {
    const cacheKey = `${key}:${region}`;
    const existing = this.made.get(cacheKey);
    if (existing) return existing as unknown as T;
    const t = this.timeouts;
    const config: ClientConfig = {
      region,
      maxAttempts: t.maxAttempts,
      retryMode: "standard",
      requestHandler: {
        connectionTimeout: t.connectMs,
        requestTimeout: t.requestMs,
        socketTimeout: idleLimitMs(t, key),
        // Without it the SDK only logs a warning when the request timeout passes, and waits on.
        throwOnRequestTimeout: true,
      },
    };
    if (this.options.endpoint) config.endpoint = this.options.endpoint;
    if (this.options.profile) config.profile = this.options.profile;
    if (key === "s3" && this.options.endpoint) config.forcePathStyle = true;
    const made = make(config);
    const client = made as unknown as Client;
    this.guard(client, key, region);
    this.made.set(cacheKey, client);
    return made;
  }

  /**
   * Every call carries the run's abort signal (so Ctrl-C and SIGTERM reach calls in flight and
   * the SDK's waits between retries) and its operation's time limit; every error it throws
   * records which call it came from, for describeAwsFailure.
   */
  private guard(client: Client, key: string, region: string): void {
    const send = client.send.bind(client);
    const timeouts = this.timeouts;
    client.send = (command, options) => {
      const signal = this.callSignal();
      return send(command, {
        ...options,
        abortSignal: options?.abortSignal ? AbortSignal.any([options.abortSignal, signal]) : signal,
        // A caller that knows its call is slow may say so; else the operation's limit.
        requestTimeout: options?.requestTimeout ?? attemptLimitMs(timeouts, key, operationName(command)),
      });
    };
    const override = this.options.endpoint;
    // The first middleware, so it sees every error, endpoint resolution and signing included.
    const recorder: Middleware = (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        recordCallSite(error, {
          service: key,
          operation: String(context.commandName ?? "?").replace(/Command$/, ""),
          region,
          endpoint: override ?? context.parityEndpoint ?? `${key} in ${region}`,
        });
        throw error;
      }
    };
    client.middlewareStack.add(
      recorder as never,
      { step: "initialize", priority: "high", name: "parityCallSite" } as never,
    );
    // Where the SDK sent the request: known only once the endpoint is resolved.
    const whereTo: Middleware = (next, context) => (args) => {
      context.parityEndpoint ??= endpointOf(args.request);
      return next(args);
    };
    client.middlewareStack.add(
      whereTo as never,
      { step: "finalizeRequest", priority: "high", name: "parityEndpoint" } as never,
    );
    const onCall = this.options.onCall;
    if (onCall) {
      const counter: Middleware = (next, context) => (args) => {
        onCall(key, String(context.commandName ?? "?").replace(/Command$/, ""));
        return next(args);
      };
      client.middlewareStack.add(
        counter as never,
        { step: "finalizeRequest", name: "parityCallCounter" } as never,
      );
    }
  }

  get ec2(): EC2Client {
    return this.client("ec2", (c) => new EC2Client(c));
  }
  get elasticache(): ElastiCacheClient {
    return this.client("elasticache", (c) => new ElastiCacheClient(c));
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
  tagging(region = this.options.region): ResourceGroupsTaggingAPIClient {
    return this.client("tagging", (c) => new ResourceGroupsTaggingAPIClient(c), region);
  }

  /**
   * A read several kinds need during one discovery (the tagging API's list of what is ours),
   * made once per context: a context lives for one plan, and apply never asks for these again.
   */
  readOnce<T>(key: string, read: () => Promise<T>): Promise<T> {
    let found = this.reads.get(key) as Promise<T> | undefined;
    if (!found) {
      found = read();
      this.reads.set(key, found);
    }
    return found;
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

  /** Abandons every call of this context in flight; later calls fail at once. */
  abort(reason = "the calls were abandoned"): void {
    if (!this.own.signal.aborted) this.own.abort(new Error(reason));
  }

  /** Frees the clients' connections; a call still in flight is abandoned rather than left to linger. */
  destroy(): void {
    this.abort("the command finished");
    for (const client of this.made.values()) client.destroy();
    this.made.clear();
  }
}

function operationName(command: unknown): string {
  const name = (command as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? "";
  return name.replace(/Command$/, "");
}

function endpointOf(request: unknown): string | undefined {
  const r = request as { protocol?: string; hostname?: string; port?: number } | undefined;
  if (!r?.hostname) return undefined;
  return `${r.protocol ?? "https:"}//${r.hostname}${r.port ? `:${r.port}` : ""}`;
}

type Middleware = (
  next: (args: { request?: unknown }) => Promise<unknown>,
  context: { commandName?: string; parityEndpoint?: string | undefined },
) => (args: { request?: unknown }) => Promise<unknown>;
