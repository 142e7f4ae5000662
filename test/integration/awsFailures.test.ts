import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { load, planLoaded } from "../../src/cli/workflow.js";
import { parity } from "../support/child.js";
import { startFaultProxy } from "../support/faultProxy.js";
import type { FaultRule, FaultProxy } from "../support/faultProxy.js";
import { tempDir, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();
const REGION = "us-west-1";

const GROUPS = `
environment: failtest
region: us-west-1
securityGroups:
  lb: { name: failtest-lb, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }
  app: { name: failtest-app, ingress: [{ port: 8080, source: securityGroups.lb }] }
`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

async function proxy(rules: FaultRule[]): Promise<FaultProxy> {
  const started = await startFaultProxy({ target: emulator().endpoint, rules });
  cleanups.push(() => started.stop());
  return started;
}

/**
 * Shorter than the default, so the hung call gives up in seconds, yet long enough that no call the
 * emulator does answer runs out of time on a loaded machine (its first DescribeImages alone can take
 * a second there): only the call the proxy hangs can reach it.
 */
const REQUEST_MS = 8000;

/** Plans in this process through `endpoint` with short timeouts; resolves with the failure's words. */
async function planFailure(file: string, endpoint: string): Promise<{ message: string; hint?: string }> {
  const { loaded } = load(file, { secrets: {} });
  if (!loaded) throw new Error("the file does not load");
  try {
    const session = await planLoaded(loaded, {
      endpoint,
      timeouts: { requestMs: REQUEST_MS, maxAttempts: 3 },
    });
    session.ctx.destroy();
  } catch (error) {
    const e = error as { message: string; hint?: string };
    return { message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  }
  throw new Error("the plan succeeded");
}

async function groupNames(): Promise<string[]> {
  const found = await new EC2Client({ region: REGION, endpoint: emulator().endpoint }).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["failtest-*"] }] }),
  );
  return (found.SecurityGroups ?? []).map((g) => g.GroupName ?? "").sort();
}

async function lockParameter(): Promise<string | undefined> {
  const ssm = new SSMClient({ region: REGION, endpoint: emulator().endpoint });
  try {
    return (await ssm.send(new GetParameterCommand({ Name: `/parity/locks/failtest/${REGION}` }))).Parameter
      ?.Value;
  } catch (error) {
    if ((error as Error).name === "ParameterNotFound") return undefined;
    throw error;
  }
}

describe("failures a person can act on", () => {
  it("says an endpoint that answers with a web page is not AWS, instead of an XML parse error", async () => {
    const endpoint = await listen(
      createServer((req, res) => {
        req.resume();
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><body><h1>Welcome to nginx!</h1><br></body></html>");
      }),
    );
    const run = await parity(["plan", writeEnvironment(GROUPS)], { endpoint });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `error: ${endpoint} is not an AWS endpoint: it answered \\w+ \\w+ with an HTML page \\(HTTP 200\\)\\n`,
      ),
    );
    expect(run.stderr).toContain("check --endpoint-url / AWS_ENDPOINT_URL");
    expect(run.stderr).not.toMatch(/XML parse|Deserialization/);
  });

  it("names a region that does not exist, and the one that was probably meant", async () => {
    const run = await parity(["plan", writeEnvironment(GROUPS), "--region", "us-west-9"], {
      endpoint: emulator().endpoint,
    });
    expect(run.code).toBe(1);
    // Validation refuses it before any call is made (issue 8, finding 9).
    expect(run.stderr).toContain('--region: "us-west-9" is not an AWS region (did you mean us-west-1?)');
    expect(run.stderr).not.toMatch(/XML parse|Deserialization/);
  });

  it("names a --profile that does not exist and where it was looked for", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".aws"));
    writeFileSync(join(home, ".aws", "config"), "[profile dev]\nregion = us-west-1\n");
    const run = await parity(["plan", writeEnvironment(GROUPS), "--profile", "nope"], {
      endpoint: emulator().endpoint,
      env: {
        HOME: home,
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
        AWS_CONFIG_FILE: "",
        AWS_SHARED_CREDENTIALS_FILE: "",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: the AWS profile "nope" was not found in ~/.aws/config and ~/.aws/credentials (profiles there: dev)',
    );
  });

  it("names the call a reset connection broke, skips what depends on it, and a re-run resumes", async () => {
    const faulty = await proxy([{ operation: "CreateSecurityGroup", fault: "dropBefore" }]);
    const file = writeEnvironment(GROUPS);
    const run = await parity(["apply", file, "--auto-approve", "--concurrency", "1"], {
      endpoint: faulty.endpoint,
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain(
      `✗ securityGroups.lb: the connection to ${faulty.endpoint} was reset during ec2 CreateSecurityGroup, 3 attempts`,
    );
    expect(run.stdout).toContain("securityGroups.app: skipped because securityGroups.lb failed");
    expect(run.stdout).toContain("Running apply again resumes");
    expect(run.stdout + run.stderr).not.toContain("cannot reach AWS");
    expect(await groupNames()).toEqual([]);
    expect(await lockParameter()).toBeUndefined();

    const again = await parity(["apply", file, "--auto-approve"], { endpoint: emulator().endpoint });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await groupNames()).toEqual(["failtest-app", "failtest-lb"]);
  });

  it("says, while planning, that a reset changed nothing", async () => {
    const faulty = await proxy([{ operation: "DescribeSecurityGroups", fault: "dropBefore" }]);
    const failure = await planFailure(writeEnvironment(GROUPS), faulty.endpoint);
    expect(failure.message).toBe(
      `the connection to ${faulty.endpoint} was reset during ec2 DescribeSecurityGroups, 3 attempts`,
    );
    expect(failure.hint).toContain("nothing was changed");
  });

  it("names the endpoint and the operation that did not answer in time", async () => {
    const faulty = await proxy([{ operation: "DescribeSecurityGroups", fault: "hang" }]);
    const failure = await planFailure(writeEnvironment(GROUPS), faulty.endpoint);
    expect(failure.message).toBe(
      `ec2 DescribeSecurityGroups at ${faulty.endpoint} did not answer within 8.0 s, 3 attempts`,
    );
    expect(failure.hint).toContain("the endpoint accepted the connection but never answered");
    expect(faulty.log.filter((e) => e.fault === "hang")).toHaveLength(3);
  });

  it("says AWS failed on its side when server errors outlast the retries", async () => {
    const faulty = await proxy([{ operation: "DescribeSecurityGroups", fault: "unavailable503" }]);
    const failure = await planFailure(writeEnvironment(GROUPS), faulty.endpoint);
    expect(failure.message).toBe(
      "AWS failed ec2 DescribeSecurityGroups on its side through 3 attempts (HTTP 503 Unavailable: The server is overloaded and can't handle the request)",
    );
    expect(failure.hint).toContain("nothing was changed");
  });

  it("says throttling outlasted the retries, and what to do about it", async () => {
    const faulty = await proxy([{ operation: "DescribeSecurityGroups", fault: "throttle" }]);
    const failure = await planFailure(writeEnvironment(GROUPS), faulty.endpoint);
    expect(failure.message).toBe(
      "AWS kept throttling ec2 DescribeSecurityGroups through 3 attempts (RequestLimitExceeded: Request limit exceeded.)",
    );
    expect(failure.hint).toContain("lower --concurrency");
  });
});
