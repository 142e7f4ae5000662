import {
  CloudFrontClient,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudfront";
import {
  GetBucketTaggingCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySession, load, planLoaded } from "../../src/cli/workflow.js";
import type { ObservedNode } from "../../src/model/index.js";
import { startFaultProxy } from "../support/faultProxy.js";
import type { Call } from "../support/faultProxy.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";
import type { PlanSession } from "../../src/cli/workflow.js";

const { emulator } = useMoto();

/** The calls, as the proxy names them, that read a resource's tags from its own service or list objects. */
const BUCKET_TAGS = "GET /{bucket}?tagging";
const LIST_OBJECTS = "GET /{bucket}";
const DISTRIBUTION_TAGS = "GET /2020-05-31/tagging?Resource";

const HEAD = `
environment: steady
region: us-west-1
tags: { project: parity-test }
`;

const BUCKET = `
buckets:
  assets:
    name: steady-assets
    website: { indexDocument: index.html }
    tags: { role: web }
`;

const DISTRIBUTION = `
distributions:
  site:
    comment: steady front end
    origins:
      web: { domain: steady-assets.s3-website-us-west-1.amazonaws.com, protocol: http-only }
    defaultBehavior: { origin: web }
`;

function s3(endpoint: string): S3Client {
  return new S3Client({ region: "us-west-1", endpoint, forcePathStyle: true });
}

async function bucketTags(endpoint: string, bucket: string): Promise<Record<string, string>> {
  const found = await s3(endpoint).send(new GetBucketTaggingCommand({ Bucket: bucket }));
  return Object.fromEntries((found.TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

async function bucketExists(endpoint: string, bucket: string): Promise<boolean> {
  try {
    await s3(endpoint).send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

/** A plan made through a recording proxy: the session, and every call it made. */
async function recordedPlan(
  file: string,
  endpoint: string,
): Promise<{ session: PlanSession; calls: Call[] }> {
  const proxy = await startFaultProxy({ target: endpoint });
  try {
    const session = await planFile(file, proxy.endpoint);
    return { session, calls: [...proxy.calls] };
  } finally {
    await proxy.stop();
  }
}

function count(calls: Call[], service: string, operation: string): number {
  return calls.filter((c) => c.service === service && c.operation === operation).length;
}

function observedAt(session: PlanSession, address: string): ObservedNode | undefined {
  return session.observed.find((n) => n.address === address);
}

describe("a steady plan of buckets and distributions", () => {
  it("takes owned tags from the tagging API and lists no objects, and still sees tag drift", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + BUCKET + DISTRIBUTION);
    await applyFile(file, endpoint);
    // Objects the app wrote: the plan of a kept bucket needs no answer to "is it empty".
    await s3(endpoint).send(new PutObjectCommand({ Bucket: "steady-assets", Key: "index.html", Body: "hi" }));

    const { session, calls } = await recordedPlan(file, endpoint);
    session.ctx.destroy();
    expect(actions(session.plan)).toEqual([]);
    expect(count(calls, "tagging", "GetResources")).toBeGreaterThan(0);
    expect(count(calls, "s3", BUCKET_TAGS)).toBe(0);
    expect(count(calls, "s3", LIST_OBJECTS)).toBe(0);
    expect(count(calls, "cloudfront", DISTRIBUTION_TAGS)).toBe(0);
    // What the plan saw is what the services hold.
    expect(observedAt(session, "buckets.assets")?.attributes.tags).toEqual(
      await bucketTags(endpoint, "steady-assets"),
    );
    const cloudfront = new CloudFrontClient({ region: "us-east-1", endpoint });
    const listed = await cloudfront.send(new ListDistributionsCommand({}));
    const arn = listed.DistributionList?.Items?.[0]?.ARN ?? "";
    const liveTags = await cloudfront.send(new ListTagsForResourceCommand({ Resource: arn }));
    expect(observedAt(session, "distributions.site")?.attributes.tags).toEqual(
      Object.fromEntries((liveTags.Tags?.Items ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
    );

    // A tag removed by hand shows, through the tagging API's answer, and apply puts it back.
    const { role: _role, ...withoutRole } = await bucketTags(endpoint, "steady-assets");
    await s3(endpoint).send(
      new PutBucketTaggingCommand({
        Bucket: "steady-assets",
        Tagging: { TagSet: Object.entries(withoutRole).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
    const drift = await recordedPlan(file, endpoint);
    drift.session.ctx.destroy();
    expect(actions(drift.session.plan)).toEqual(["update buckets.assets"]);
    expect(change(drift.session.plan, "buckets.assets").attributes).toEqual([
      expect.objectContaining({ path: "tags.role", after: "web" }),
    ]);
    expect(count(drift.calls, "s3", BUCKET_TAGS)).toBe(0);
    await applyFile(file, endpoint);
    expect(await bucketTags(endpoint, "steady-assets")).toMatchObject({ role: "web" });
  });

  it("keeps a tag added by hand between the plan and the apply that writes the bucket's tags", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + BUCKET);
    await applyFile(file, endpoint);
    const { role: _role, ...withoutRole } = await bucketTags(endpoint, "steady-assets");
    const put = (tags: Record<string, string>) =>
      s3(endpoint).send(
        new PutBucketTaggingCommand({
          Bucket: "steady-assets",
          Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        }),
      );
    await put(withoutRole);
    const session = await planFile(file, endpoint);
    expect(actions(session.plan)).toEqual(["update buckets.assets"]);
    // PutBucketTagging replaces the whole set: the plan's view of it must not be what is written.
    await put({ ...withoutRole, owner: "ops" });
    const result = await applySession(session);
    session.ctx.destroy();
    expect(result.failed).toEqual([]);
    expect(await bucketTags(endpoint, "steady-assets")).toMatchObject({ role: "web", owner: "ops" });
  });

  it("reads whether a kept bucket is empty for compare, which shows it as live shape", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + BUCKET);
    await applyFile(file, endpoint);
    await s3(endpoint).send(new PutObjectCommand({ Bucket: "steady-assets", Key: "index.html", Body: "hi" }));
    const { loaded } = load(file);
    const plain = await planLoaded(loaded!, { endpoint });
    plain.ctx.destroy();
    const full = await planLoaded(loaded!, { endpoint, fullShape: true });
    full.ctx.destroy();
    expect(observedAt(plain, "buckets.assets")?.attributes.contents).toBeUndefined();
    expect(observedAt(full, "buckets.assets")?.attributes.contents).toBe("has objects");
    expect(actions(full.plan)).toEqual([]);
  });

  it("still sees the copy marker an earlier version left on a bucket, from the tagging API's tags", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + BUCKET);
    await applyFile(file, endpoint);
    const tags = { ...(await bucketTags(endpoint, "steady-assets")), "parity:copying": "steady-source" };
    await s3(endpoint).send(
      new PutBucketTaggingCommand({
        Bucket: "steady-assets",
        Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );

    const { session, calls } = await recordedPlan(file, endpoint);
    session.ctx.destroy();
    expect(count(calls, "s3", BUCKET_TAGS)).toBe(0);
    const observed = observedAt(session, "buckets.assets");
    expect(observed?.attributes.contents).toBe("incomplete copy from steady-source");
    expect(observed?.details?.copying).toBe("steady-source");
    expect(await bucketTags(endpoint, "steady-assets")).toMatchObject({ "parity:copying": "steady-source" });
  });

  it("reads a protected bucket's tags from S3 itself", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(`${HEAD}${BUCKET}    protect: true\n`);
    await applyFile(file, endpoint);
    expect(await bucketTags(endpoint, "steady-assets")).toMatchObject({ "parity:protect": "true" });

    const { session, calls } = await recordedPlan(file, endpoint);
    session.ctx.destroy();
    expect(actions(session.plan)).toEqual([]);
    expect(count(calls, "s3", BUCKET_TAGS)).toBe(1);
  });

  it("reads a dropped bucket's own tags and objects: its deletion is refused while it holds data", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + BUCKET + DISTRIBUTION);
    await applyFile(file, endpoint);
    await s3(endpoint).send(new PutObjectCommand({ Bucket: "steady-assets", Key: "index.html", Body: "hi" }));

    writeFileSync(file, HEAD + DISTRIBUTION);
    const { session, calls } = await recordedPlan(file, endpoint);
    expect(actions(session.plan)).toEqual(["delete buckets.assets"]);
    expect(change(session.plan, "buckets.assets").risks).toEqual(["data-loss"]);
    expect(change(session.plan, "buckets.assets").notes).toEqual([
      "holds objects: deleted only with --allow-destroy, which deletes every object first",
    ]);
    expect(count(calls, "s3", BUCKET_TAGS)).toBe(1);
    expect(count(calls, "s3", LIST_OBJECTS)).toBe(1);
    // The distribution the file keeps still needs no tag read of its own.
    expect(count(calls, "cloudfront", DISTRIBUTION_TAGS)).toBe(0);
    const refused = await applySession(session);
    session.ctx.destroy();
    expect(refused.failed.map((f) => f.address)).toEqual(["buckets.assets"]);
    expect(await bucketExists(endpoint, "steady-assets")).toBe(true);
  });

  it("reads whether the bucket a new name replaces is empty: its replacement loses data only if not", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + BUCKET);
    await applyFile(file, endpoint);
    writeFileSync(file, HEAD + BUCKET.replace("name: steady-assets", "name: steady-assets-next"));

    const empty = await planFile(file, endpoint);
    empty.ctx.destroy();
    expect(actions(empty.plan)).toEqual(["replace buckets.assets"]);
    expect(change(empty.plan, "buckets.assets").risks).toEqual([]);

    await s3(endpoint).send(new PutObjectCommand({ Bucket: "steady-assets", Key: "index.html", Body: "hi" }));
    const full = await planFile(file, endpoint);
    full.ctx.destroy();
    expect(actions(full.plan)).toEqual(["replace buckets.assets"]);
    expect(change(full.plan, "buckets.assets").risks).toEqual(["data-loss"]);
    expect(await bucketExists(endpoint, "steady-assets")).toBe(true);
  });
});
