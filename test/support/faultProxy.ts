import { createHash } from "node:crypto";
import { Agent, createServer, request as forward } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * A loopback HTTP proxy in front of moto that misbehaves the ways AWS and networks do. The SDK
 * reaches it through the endpoint override; moto's control API (/moto-api) is never touched.
 *
 * - `throttle`: the service's own throttling error, in its protocol's shape
 * - `error500`, `unavailable503`: a server error, in the protocol's shape
 * - `dropBefore`: the connection is cut before the request reaches moto (nothing happened)
 * - `dropAfter`: moto executes the request, then the connection is cut (it happened; the client never hears)
 * - `slow`: moto's answer, `slowMs` late
 * - `hang`: no answer at all; the request never reaches moto
 */
export const FAULT_KINDS = [
  "throttle",
  "error500",
  "unavailable503",
  "dropBefore",
  "dropAfter",
  "slow",
  "hang",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the proxy knows of a request: the SigV4 credential scope names the service. */
export type Call = { service: string; operation: string };

/** Injects `fault` into calls that match, `times` times (default: every time), before any random fault. */
export type FaultRule = { service?: string; operation: string | RegExp; fault: FaultKind; times?: number };

export type FaultProxyOptions = {
  /** moto's endpoint, e.g. http://127.0.0.1:5000 */
  target: string;
  /** Seeds the random faults; the same seed gives the same faults to the same sequence of calls. */
  seed?: number;
  /** Share of calls (0–1) given a random fault. */
  rate?: number;
  /** The faults random injection picks from (evenly). */
  kinds?: readonly FaultKind[];
  /** How late a `slow` answer is. */
  slowMs?: number;
  rules?: FaultRule[];
  /**
   * Rewrites moto's answer to a call that got no fault (an answer AWS gives and moto cannot, such
   * as a Run Command that failed on one instance); undefined leaves it as it is.
   */
  rewrite?: (call: Call, request: string, answer: string) => string | undefined;
};

/**
 * When the proxy saw a call (ms, on the monotonic clock of `performance.now()`): from its
 * arrival to its answer's end, or to the cut of its connection; `endMs` is unset while open.
 */
export type Span = { startMs: number; endMs?: number };

export type Injected = { n: number; service: string; operation: string; fault: FaultKind; rule: boolean };

export type FaultProxy = {
  endpoint: string;
  seed: number;
  /** Every fault injected, in order. */
  log: Injected[];
  /** Every call seen, faulted or not, in order. */
  calls: Call[];
  /** When each of `calls` (same index) was under way. */
  spans: Span[];
  setRate(rate: number): void;
  setRules(rules: FaultRule[]): void;
  /** Faults injected so far, by kind. */
  counts(): Record<FaultKind, number>;
  stop(): Promise<void>;
};

/** mulberry32: small, fast, and the same everywhere for the same seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two draws for the n-th call of one operation, derived from the seed, the operation and n: calls
 * running concurrently cannot shift each other's faults, so a seed reproduces a trial.
 */
function draws(seed: number, call: Call, n: number): [number, number] {
  const digest = createHash("sha256").update(`${seed}|${call.service}|${call.operation}|${n}`).digest();
  const next = generator(digest.readUInt32BE(0));
  return [next(), next()];
}

function serviceOf(headers: IncomingHttpHeaders): string {
  const auth = String(headers.authorization ?? "");
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1] ?? "unknown";
}

/** The operation's name where the protocol carries it; for REST services, the method and path shape. */
function operationOf(
  service: string,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: string,
): string {
  const target = headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop() ?? target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  if (action) return decodeURIComponent(action);
  const [pathname = "", query = ""] = path.split("?");
  const segments = pathname.split("/").filter(Boolean);
  const s3Shape = segments.length === 0 ? "/" : segments.length === 1 ? "/{bucket}" : "/{bucket}/{key}";
  const shape =
    service === "s3"
      ? s3Shape
      : pathname.replace(/\/(?:[A-Z0-9]{10,}|E[A-Z0-9]+|Z[A-Z0-9]+)(?=\/|$)/g, "/{id}");
  const sub = query
    .split("&")
    .map((p) => p.split("=")[0])
    .filter((k) => k && !/^(x-id|max-keys|list-type|continuation-token|prefix|delimiter|marker)$/i.test(k));
  return `${method} ${shape}${sub.length ? `?${sub.join("&")}` : ""}`;
}

type Protocol = "ec2" | "query" | "json" | "s3" | "restXml";

function protocolOf(service: string): Protocol {
  if (service === "ec2") return "ec2";
  if (service === "elasticloadbalancing" || service === "rds") return "query";
  if (service === "ssm" || service === "acm") return "json";
  if (service === "s3") return "s3";
  return "restXml";
}

/** Error codes per protocol, as the real services send them. */
const CODES: Record<
  Protocol,
  Record<"throttle" | "error500" | "unavailable503", [number, string, string]>
> = {
  ec2: {
    throttle: [503, "RequestLimitExceeded", "Request limit exceeded."],
    error500: [500, "InternalError", "An internal error has occurred"],
    unavailable503: [503, "Unavailable", "The server is overloaded and can't handle the request"],
  },
  query: {
    throttle: [400, "Throttling", "Rate exceeded"],
    error500: [500, "InternalFailure", "The request processing has failed because of an unknown error"],
    unavailable503: [
      503,
      "ServiceUnavailable",
      "The request has failed due to a temporary failure of the server",
    ],
  },
  json: {
    throttle: [400, "ThrottlingException", "Rate exceeded"],
    error500: [500, "InternalServerError", "An error occurred on the server side"],
    unavailable503: [503, "ServiceUnavailable", "Service is unavailable"],
  },
  s3: {
    throttle: [503, "SlowDown", "Please reduce your request rate."],
    error500: [500, "InternalError", "We encountered an internal error. Please try again."],
    unavailable503: [503, "ServiceUnavailable", "Service is unable to handle request."],
  },
  restXml: {
    throttle: [400, "Throttling", "Rate exceeded"],
    error500: [500, "InternalFailure", "The request processing has failed because of an unknown error"],
    unavailable503: [
      503,
      "ServiceUnavailable",
      "The request has failed due to a temporary failure of the server",
    ],
  },
};

/** An error answer the SDK parses the way it parses the real service's. */
export function errorAnswer(
  service: string,
  fault: "throttle" | "error500" | "unavailable503",
  requestId: string,
): { status: number; headers: Record<string, string>; body: string } {
  const protocol = protocolOf(service);
  const [status, code, message] = CODES[protocol][fault];
  const xml = { "content-type": "text/xml", "x-amzn-requestid": requestId };
  switch (protocol) {
    case "ec2":
      return {
        status,
        headers: xml,
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case "json":
      return {
        status,
        headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId },
        body: JSON.stringify({ __type: code, message }),
      };
    case "s3":
      return {
        status,
        headers: { "content-type": "application/xml", "x-amz-request-id": requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
    case "query":
    case "restXml":
      return {
        status,
        headers: xml,
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${status === 400 ? "Sender" : "Receiver"}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
  }
}

type Upstream = { status: number; headers: IncomingHttpHeaders; body: Buffer };

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const kinds = options.kinds ?? FAULT_KINDS;
  const slowMs = options.slowMs ?? 500;
  let rate = options.rate ?? 0;
  let rules = (options.rules ?? []).map((r) => ({ ...r, left: r.times ?? Infinity }));
  const log: Injected[] = [];
  const calls: Call[] = [];
  const spans: Span[] = [];
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const agent = new Agent({ keepAlive: true });

  const toMoto = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const out = forward(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });

  const answer = (res: ServerResponse, upstream: Upstream) => {
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  };

  const choose = (call: Call): { fault: FaultKind; rule: boolean } | undefined => {
    const rule = rules.find(
      (r) =>
        r.left > 0 &&
        (!r.service || r.service === call.service) &&
        (typeof r.operation === "string" ? r.operation === call.operation : r.operation.test(call.operation)),
    );
    if (rule) {
      rule.left--;
      return { fault: rule.fault, rule: true };
    }
    const key = `${call.service}|${call.operation}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const [hit, pick] = draws(seed, call, n);
    if (rate <= 0 || hit >= rate || kinds.length === 0) return undefined;
    return { fault: kinds[Math.floor(pick * kinds.length)] as FaultKind, rule: false };
  };

  const server = createServer((req, res) => {
    const startMs = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? "GET";
      const path = req.url ?? "/";
      const relay = (upstream: Promise<Upstream>) =>
        upstream.then(
          (u) => answer(res, u),
          () => req.socket.destroy(),
        );
      if (path.startsWith("/moto-api")) return void relay(toMoto(req, body));
      const service = serviceOf(req.headers);
      const call = {
        service,
        operation: operationOf(service, method, path, req.headers, body.toString("utf8")),
      };
      calls.push(call);
      const span: Span = { startMs };
      spans.push(span);
      res.once("close", () => (span.endMs = performance.now()));
      const chosen = choose(call);
      if (!chosen && options.rewrite) {
        const rewrite = options.rewrite;
        return void relay(
          toMoto(req, body).then((u) => {
            const text = rewrite(call, body.toString("utf8"), u.body.toString("utf8"));
            if (text === undefined) return u;
            const headers = { ...u.headers, "content-length": String(Buffer.byteLength(text)) };
            return { ...u, headers, body: Buffer.from(text) };
          }),
        );
      }
      if (!chosen) return void relay(toMoto(req, body));
      log.push({ n: calls.length, ...call, ...chosen });
      const requestId = `fault-${seed}-${calls.length}`;
      switch (chosen.fault) {
        case "throttle":
        case "error500":
        case "unavailable503": {
          const e = errorAnswer(call.service, chosen.fault, requestId);
          res.writeHead(e.status, { ...e.headers, "content-length": Buffer.byteLength(e.body) });
          res.end(e.body);
          return;
        }
        case "dropBefore":
          req.socket.destroy();
          return;
        case "dropAfter": {
          const cut = () => req.socket.destroy();
          void toMoto(req, body).then(cut, cut);
          return;
        }
        case "slow":
          void toMoto(req, body).then(
            (u) => setTimeout(() => answer(res, u), slowMs),
            () => req.socket.destroy(),
          );
          return;
        case "hang":
          // Held open until the client gives up or the proxy stops.
          return;
      }
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    seed,
    log,
    calls,
    spans,
    setRate(next) {
      rate = next;
    },
    setRules(next) {
      rules = next.map((r) => ({ ...r, left: r.times ?? Infinity }));
    },
    counts() {
      const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
      for (const entry of log) counts[entry.fault]++;
      return counts;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
