import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AwsContext, describeAwsFailure, describeAwsFailureLine } from "../../src/providers/aws/index.js";
import { profilesIn } from "../../src/providers/aws/profiles.js";
import { closestRegion } from "../../src/providers/aws/regions.js";
import { tempDir } from "../support/harness.js";

const info = { environment: "t", region: "us-west-1", tags: {}, secrets: {} };

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error("the call succeeded");
}

describe("AWS failures, in words", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("names a region AWS does not have, with the closest one, when its endpoint does not resolve", () => {
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND ec2.us-west-9.amazonaws.com"), {
      code: "ENOTFOUND",
      hostname: "ec2.us-west-9.amazonaws.com",
    });
    const described = describeAwsFailure(error, undefined);
    expect(described.message).toBe(
      '"us-west-9" is not an AWS region (did you mean us-west-1?): ec2.us-west-9.amazonaws.com does not exist',
    );
    expect(described.hint).toBe("fix the file's region (or --region)");
  });

  it("names a region the SDK refuses as a host name", async () => {
    const ctx = new AwsContext({ region: "us_west_1" }, { ...info, region: "us_west_1" });
    const error = await failureOf(() => ctx.ec2.send(new DescribeVpcsCommand({})));
    ctx.destroy();
    expect(describeAwsFailure(error, undefined).message).toBe(
      'the region is not valid: "us_west_1" is not an AWS region (did you mean us-west-1?)',
    );
  });

  it("says a real region's endpoint could not be resolved without blaming the region", () => {
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND ec2.us-west-1.amazonaws.com"), {
      code: "ENOTFOUND",
      hostname: "ec2.us-west-1.amazonaws.com",
    });
    expect(describeAwsFailure(error, undefined).message).toMatch(/^cannot reach AWS \(ENOTFOUND/);
  });

  it("names a profile that is in neither shared file, where it looked, and the profiles that are there", () => {
    const home = tempDir();
    mkdirSync(join(home, ".aws"));
    writeFileSync(
      join(home, ".aws", "config"),
      "[default]\nregion = us-west-1\n[profile dev]\n[sso-session corp]\n",
    );
    writeFileSync(join(home, ".aws", "credentials"), "[ci]\naws_access_key_id = a\n");
    process.env.AWS_CONFIG_FILE = join(home, ".aws", "config");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, ".aws", "credentials");
    process.env.AWS_PROFILE = "nope";
    const error = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    const described = describeAwsFailure(error, undefined);
    expect(described.message).toBe(
      `the AWS profile "nope" was not found in ${join(home, ".aws", "config")} and ${join(home, ".aws", "credentials")} (profiles there: default, dev, ci)`,
    );
    expect(described.hint).toContain("aws configure --profile nope");
  });

  it("says so when neither shared file exists", () => {
    const home = tempDir();
    process.env.AWS_CONFIG_FILE = join(home, "config");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, "credentials");
    process.env.AWS_PROFILE = "work";
    const error = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(describeAwsFailure(error, undefined).message).toContain("(neither file exists)");
  });

  it("keeps the plain message when no profile was asked for", () => {
    delete process.env.AWS_PROFILE;
    const error = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(describeAwsFailure(error, undefined).message).toBe("no AWS credentials found");
  });

  it("reads profile names the way the SDK does", () => {
    expect(profilesIn("[default]\n[profile a b]\n[ c ]\n[services x]\n[sso-session y]\nkey = v\n")).toEqual([
      "default",
      "a b",
      "c",
    ]);
  });

  it("suggests the region a typo was meant to be", () => {
    expect(closestRegion("us-wset-1")).toBe("us-west-1");
    expect(closestRegion("EU-WEST-1")).toBe("eu-west-1");
    expect(closestRegion("narnia")).toBeUndefined();
  });
});

describe("a failed operation's line in the apply summary", () => {
  it("describes the SDK error a kind wrapped in its own words, when the kind passes it as cause", async () => {
    const ctx = new AwsContext(
      { region: "us-west-1", endpoint: "http://127.0.0.1:9", timeouts: { maxAttempts: 1 } },
      info,
    );
    const sdk = await failureOf(() => ctx.ec2.send(new DescribeVpcsCommand({})));
    ctx.destroy();
    const wrapped = new Error(`copying a/b failed: ${(sdk as Error).message}`, { cause: sdk });
    expect(describeAwsFailureLine(wrapped, "http://127.0.0.1:9")).toBe(
      "copying a/b failed: cannot reach AWS at http://127.0.0.1:9 (ECONNREFUSED; ec2 DescribeVpcs)",
    );
    expect(describeAwsFailureLine(new Error("boom"), undefined)).toBe("boom");
  });
});
