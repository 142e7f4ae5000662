import { ParityError } from "../../model/index.js";
import { callSiteOf } from "./calls.js";
import type { CallSite } from "./calls.js";
import { awsErrorName } from "./errors.js";
import { findProfile, shortPath } from "./profiles.js";
import { isKnownRegion, unknownRegion } from "./regions.js";

type Failure = {
  error: unknown;
  name: string;
  text: string;
  code: string;
  site: CallSite | undefined;
  /** `ec2 RunInstances`, or "a call" when the SDK failed before knowing which. */
  call: string;
  endpoint: string | undefined;
  attempts: number | undefined;
};

const THROTTLING = [
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "RequestLimitExceeded",
  "EC2ThrottledException",
  "TooManyRequestsException",
  "SlowDown",
  "PriorRequestNotComplete",
  "BandwidthLimitExceeded",
  "ProvisionedThroughputExceededException",
];

function facts(error: unknown, endpoint: string | undefined): Failure {
  const e = error as {
    code?: unknown;
    cause?: { code?: unknown };
    $metadata?: { attempts?: number };
  };
  const site = callSiteOf(error);
  return {
    error,
    name: awsErrorName(error),
    text: error instanceof Error ? error.message : String(error),
    code: String(e.code ?? e.cause?.code ?? ""),
    site,
    call: site ? `${site.service} ${site.operation}` : "a call",
    endpoint: site?.endpoint ?? endpoint,
    attempts: e.$metadata?.attempts,
  };
}

function tries(f: Failure): string {
  return f.attempts && f.attempts > 1 ? `, ${f.attempts} attempts` : "";
}

/** The hint for an endpoint that misbehaves: the override when there is one, else the network. */
function endpointHint(endpoint: string | undefined, custom: boolean): string {
  return custom
    ? "check --endpoint-url / AWS_ENDPOINT_URL: it must point at AWS, LocalStack or moto"
    : `check your network connection and any proxy in between${endpoint ? ` and ${endpoint}` : ""}`;
}

/** What a call that ended without an answer means for the run, by what the run was doing. */
export type Phase = "reading" | "changing";

function consequence(during: Phase | undefined): string | undefined {
  if (during === "reading") return "nothing was changed; run the command again";
  if (during === "changing")
    return "AWS may or may not have carried it out; running apply again reads what it did and resumes";
  return undefined;
}

function joined(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => Boolean(p));
  return kept.length ? kept.join("; ") : undefined;
}

function interrupted(f: Failure, during: Phase | undefined): ParityError | undefined {
  if (f.name !== "AbortError") return undefined;
  return new ParityError(
    `interrupted: ${f.call} was abandoned in flight`,
    during === "reading" ? "nothing was changed" : consequence(during),
  );
}

/** A server that is not AWS (a web server, a captive portal): its answer is not an API response. */
function notAws(f: Failure, custom: boolean): ParityError | undefined {
  if (!/Deserialization error|XML parse error|is not valid JSON|Unexpected token/.test(f.text))
    return undefined;
  const response = (f.error as { $response?: { statusCode?: number; headers?: { [k: string]: string } } })
    .$response;
  const type = response?.headers?.["content-type"] ?? "";
  const what = /html/i.test(type) ? "an HTML page" : "something that is not an AWS API response";
  const status = response?.statusCode ? ` (HTTP ${response.statusCode})` : "";
  const region = f.site?.region;
  if (region && !isKnownRegion(region)) {
    return new ParityError(
      `${f.endpoint ?? "the endpoint"} answered ${f.call} with ${what}${status}: ${unknownRegion(region)}`,
      "fix the file's region (or --region)",
    );
  }
  return new ParityError(
    `${f.endpoint ?? "the endpoint"} is not an AWS endpoint: it answered ${f.call} with ${what}${status}`,
    endpointHint(f.endpoint, custom),
  );
}

/** A region that does not exist: its endpoints do not resolve, or the SDK refuses the name. */
function badRegion(f: Failure): ParityError | undefined {
  const refused = /Region not accepted: region="([^"]*)"/.exec(f.text)?.[1];
  if (refused !== undefined) {
    return new ParityError(
      `the region is not valid: ${unknownRegion(refused)}`,
      "fix the file's region (or --region)",
    );
  }
  const host = (f.error as { hostname?: string }).hostname ?? "";
  const region = /^[a-z0-9-]+\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host)?.[1] ?? f.site?.region;
  if (f.code !== "ENOTFOUND" || !region || isKnownRegion(region) || !host.endsWith(".amazonaws.com"))
    return undefined;
  return new ParityError(
    `${unknownRegion(region)}: ${host} does not exist`,
    "fix the file's region (or --region)",
  );
}

function unreachable(f: Failure, custom: boolean): ParityError | undefined {
  const connectTimeout = f.name === "TimeoutError" && /did not establish a connection/.test(f.text);
  if (
    !connectTimeout &&
    !["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(f.code) &&
    !/ECONNREFUSED|ENOTFOUND/.test(f.text)
  )
    return undefined;
  const why = connectTimeout ? "no connection within the connect timeout" : f.code || f.text;
  return new ParityError(
    `cannot reach AWS${f.endpoint ? ` at ${f.endpoint}` : ""} (${why}; ${f.call}${tries(f)})`,
    custom
      ? "check --endpoint-url / AWS_ENDPOINT_URL, or start the emulator"
      : "check your network connection",
  );
}

/** The connection broke after the request went out: the call may have happened. */
function reset(f: Failure, during: Phase | undefined): ParityError | undefined {
  if (!["ECONNRESET", "EPIPE"].includes(f.code)) return undefined;
  return new ParityError(
    `the connection to ${f.endpoint ?? "AWS"} was reset during ${f.call}${tries(f)}`,
    joined("a network blip or a proxy dropped it", consequence(during)),
  );
}

function timedOut(f: Failure, custom: boolean, during: Phase | undefined): ParityError | undefined {
  if (f.name !== "TimeoutError" && f.code !== "ETIMEDOUT") return undefined;
  const limit = /configured (\d+) ms requestTimeout|after (\d+) ms of inactivity/.exec(f.text);
  const ms = Number(limit?.[1] ?? limit?.[2] ?? 0);
  const within = ms ? ` within ${ms >= 10_000 ? Math.round(ms / 1000) : (ms / 1000).toFixed(1)} s` : "";
  return new ParityError(
    `${f.call} at ${f.endpoint ?? "AWS"} did not answer${within}${tries(f)}`,
    joined(
      `the endpoint accepted the connection but never answered; ${endpointHint(f.endpoint, custom)}`,
      consequence(during),
    ),
  );
}

function throttled(f: Failure, during: Phase | undefined): ParityError | undefined {
  if (!THROTTLING.includes(f.name)) return undefined;
  return new ParityError(
    `AWS kept throttling ${f.call}${f.attempts ? ` through ${f.attempts} attempts` : ""} (${f.name}: ${f.text})`,
    joined(
      "the account's request rate is used up for now: wait a minute and run the command again, or lower --concurrency",
      during === "reading" ? "nothing was changed" : undefined,
    ),
  );
}

/** AWS's own side failed (HTTP 5xx) on every attempt. */
function serverError(f: Failure, during: Phase | undefined): ParityError | undefined {
  const status = (f.error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (status < 500 || !f.site) return undefined;
  return new ParityError(
    `AWS failed ${f.call} on its side${f.attempts ? ` through ${f.attempts} attempts` : ""} (HTTP ${status}${f.name ? ` ${f.name}` : ""}: ${f.text})`,
    joined("wait a little and run the command again", consequence(during)),
  );
}

function noCredentials(f: Failure): ParityError | undefined {
  if (f.name !== "CredentialsProviderError" && !/Could not load credentials/i.test(f.text)) return undefined;
  const profile = process.env.AWS_PROFILE;
  if (!profile) {
    return new ParityError(
      "no AWS credentials found",
      "set AWS_PROFILE / --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    );
  }
  const search = findProfile(profile);
  const where = search.files.map(shortPath).join(" and ");
  if (!search.found) {
    const there = search.existing.length
      ? search.known.length
        ? `profiles there: ${search.known.join(", ")}`
        : "they define no profiles"
      : "neither file exists";
    return new ParityError(
      `the AWS profile "${profile}" was not found in ${where} (${there})`,
      `pass an existing profile to --profile (or AWS_PROFILE), or create it: aws configure --profile ${profile}`,
    );
  }
  return new ParityError(
    `the AWS profile "${profile}" (in ${where}) gave no credentials: ${f.text}`,
    `for an SSO profile: aws sso login --profile ${profile}; else check its keys or role`,
  );
}

function rejectedCredentials(f: Failure): ParityError | undefined {
  if (["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"].includes(f.name)) {
    return new ParityError(
      "your AWS credentials have expired",
      "refresh them (e.g. aws sso login) and run the command again",
    );
  }
  if (
    ["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure"].includes(
      f.name,
    )
  ) {
    return new ParityError(
      `AWS rejected the credentials (${f.name})`,
      "check the access key, secret and profile",
    );
  }
  if (["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"].includes(f.name)) {
    return new ParityError(
      `AWS denied access: ${f.text}`,
      "grant the IAM permission named above to the identity you use",
    );
  }
  return undefined;
}

/**
 * Turns a failure of the outside world into one clear sentence with a fix: an endpoint that is
 * not AWS, a region that does not exist, a profile that is not there, a call that timed out, was
 * reset or was throttled past its retries, missing or refused credentials. Anything else keeps
 * AWS's words. `endpoint` is the override, if any; `during` says what a lost call means.
 */
export function describeAwsFailure(
  error: unknown,
  endpoint: string | undefined,
  during?: Phase,
): ParityError {
  if (error instanceof ParityError) return error;
  const f = facts(error, endpoint);
  const custom = endpoint !== undefined;
  const described =
    interrupted(f, during) ??
    noCredentials(f) ??
    badRegion(f) ??
    notAws(f, custom) ??
    unreachable(f, custom) ??
    reset(f, during) ??
    timedOut(f, custom, during) ??
    throttled(f, during) ??
    serverError(f, during) ??
    rejectedCredentials(f);
  if (described) return described;
  const text = f.name ? `AWS error ${f.name}: ${f.text}` : f.text;
  return new ParityError(f.site && f.name ? `${text} (${f.call})` : text);
}

/** Whether an error came out of an AWS call (and so describeAwsFailure has something to say). */
export function isAwsCallFailure(error: unknown): boolean {
  return callSiteOf(error) !== undefined;
}

/**
 * The failure as one line, for a resource's row in the apply summary. A kind that wraps an SDK
 * error in its own words (`copying a/b failed: …`) keeps them, with the SDK's part described,
 * when it passes the SDK error as `cause`.
 */
export function describeAwsFailureLine(error: unknown, endpoint: string | undefined): string {
  if (!(error instanceof Error) || error instanceof ParityError) return message(error);
  if (callSiteOf(error)) return describeAwsFailure(error, endpoint).message;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && callSiteOf(cause) && error.message.includes(cause.message)) {
    return error.message.replace(cause.message, describeAwsFailure(cause, endpoint).message);
  }
  return error.message;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
