import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySession } from "../../src/cli/workflow.js";
import type { ApplyEvent } from "../../src/engine/types.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

function s3(endpoint: string): S3Client {
  return new S3Client({ region: "us-west-1", endpoint, forcePathStyle: true });
}

async function exists(endpoint: string, bucket: string): Promise<boolean> {
  try {
    await s3(endpoint).send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

async function tagsOf(endpoint: string, bucket: string): Promise<Record<string, string>> {
  const found = await s3(endpoint).send(new GetBucketTaggingCommand({ Bucket: bucket }));
  return Object.fromEntries((found.TagSet ?? []).map((t) => [t.Key, t.Value]));
}

async function keysOf(endpoint: string, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3(endpoint).send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 10 }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

/** An untagged bucket with `count` objects of 100, 200, … bytes; every third one nested, JSON ones typed. */
async function seedSource(endpoint: string, bucket: string, count: number): Promise<string[]> {
  await s3(endpoint).send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: "us-west-1" },
    }),
  );
  const keys: string[] = [];
  for (let i = 1; i <= count; i++) {
    const nested = i % 3 === 0;
    const key = nested ? `nested/dir ${i}/data-${i}.json` : `file-${i}.txt`;
    await s3(endpoint).send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: "x".repeat(100 * i),
        ContentType: nested ? "application/json" : "text/plain",
      }),
    );
    keys.push(key);
  }
  return keys.sort();
}

const FILE = `
environment: bktest
region: us-west-1
tags: { project: parity-test }
buckets:
  frontend:
    name: bktest-frontend
    website: { indexDocument: index.html, errorDocument: error.html }
    tags: { role: web }
  logs:
    name: bktest-logs
`;

describe("buckets against moto", () => {
  it("creates, re-plans clean, reverts an out-of-band website change, deletes, and refuses to delete data", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);

    const first = await planFile(file, endpoint);
    expect(actions(first.plan)).toEqual(["create buckets.frontend", "create buckets.logs"]);
    first.ctx.destroy();
    await applyFile(file, endpoint);

    const website = await s3(endpoint).send(new GetBucketWebsiteCommand({ Bucket: "bktest-frontend" }));
    expect(website.IndexDocument?.Suffix).toBe("index.html");
    expect(website.ErrorDocument?.Key).toBe("error.html");
    expect(await tagsOf(endpoint, "bktest-frontend")).toMatchObject({
      role: "web",
      project: "parity-test",
      "parity:environment": "bktest",
      "parity:address": "buckets.frontend",
    });
    const location = await s3(endpoint).send(new GetBucketLocationCommand({ Bucket: "bktest-logs" }));
    expect(location.LocationConstraint).toBe("us-west-1");

    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // Objects written by the app are not drift; a hand-edited index document is.
    await s3(endpoint).send(
      new PutObjectCommand({ Bucket: "bktest-frontend", Key: "index.html", Body: "<h1>hi</h1>" }),
    );
    await s3(endpoint).send(
      new PutBucketWebsiteCommand({
        Bucket: "bktest-frontend",
        WebsiteConfiguration: {
          IndexDocument: { Suffix: "home.html" },
          ErrorDocument: { Key: "error.html" },
        },
      }),
    );
    const drift = await planFile(file, endpoint);
    expect(actions(drift.plan)).toEqual(["update buckets.frontend"]);
    expect(change(drift.plan, "buckets.frontend").attributes).toEqual([
      expect.objectContaining({ path: "website.indexDocument", before: "home.html", after: "index.html" }),
    ]);
    drift.ctx.destroy();
    await applyFile(file, endpoint);
    const fixed = await s3(endpoint).send(new GetBucketWebsiteCommand({ Bucket: "bktest-frontend" }));
    expect(fixed.IndexDocument?.Suffix).toBe("index.html");
    expect(fixed.ErrorDocument?.Key).toBe("error.html");
    const clean = await planFile(file, endpoint);
    expect(actions(clean.plan)).toEqual([]);
    clean.ctx.destroy();

    // An empty bucket dropped from the file is deleted.
    writeFileSync(file, FILE.split("  logs:")[0] as string);
    const removal = await planFile(file, endpoint);
    expect(actions(removal.plan)).toEqual(["delete buckets.logs"]);
    expect(change(removal.plan, "buckets.logs").risks).toEqual([]);
    removal.ctx.destroy();
    await applyFile(file, endpoint);
    expect(await exists(endpoint, "bktest-logs")).toBe(false);

    // A bucket holding objects is refused without allowDestroy, and emptied then deleted with it.
    writeFileSync(file, "environment: bktest\nregion: us-west-1\ntags: { project: parity-test }\n");
    const risky = await planFile(file, endpoint);
    expect(actions(risky.plan)).toEqual(["delete buckets.frontend"]);
    expect(change(risky.plan, "buckets.frontend").risks).toEqual(["data-loss"]);
    const refused = await applySession(risky);
    risky.ctx.destroy();
    expect(refused.failed).toEqual([
      {
        address: "buckets.frontend",
        error:
          "bucket bktest-frontend still holds objects: it is emptied and deleted only with --allow-destroy",
      },
    ]);
    expect(await keysOf(endpoint, "bktest-frontend")).toEqual(["index.html"]);

    const allowed = await planFile(file, endpoint);
    const result = await applySession(allowed, { allowDestroy: true });
    allowed.ctx.destroy();
    expect(result.failed).toEqual([]);
    expect(await exists(endpoint, "bktest-frontend")).toBe(false);
  });

  it("copies every object of copyFrom into a new bucket, says how much in the plan, and settles", async () => {
    const endpoint = emulator().endpoint;
    const sourceKeys = await seedSource(endpoint, "bktest-source", 25);
    const file = writeEnvironment(`
environment: bktest
region: us-west-1
buckets:
  assets: { name: bktest-assets, copyFrom: bktest-source }
`);

    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual(["create buckets.assets"]);
    // 100 + 200 + … + 2,500 bytes = 32,500 bytes.
    expect(change(plan.plan, "buckets.assets").notes).toEqual([
      "from bktest-source: copy 25 objects (31.7 KiB), skip 0",
    ]);
    const events: ApplyEvent[] = [];
    const result = await applySession(plan, { events: (e) => events.push(e) });
    plan.ctx.destroy();
    expect(result.failed).toEqual([]);
    const progress = events.flatMap((e) => (e.type === "progress" ? [e.message] : []));
    expect(progress).toContain("copied 25 of 25 objects (31.7 KiB of 31.7 KiB) from bktest-source");

    expect(await keysOf(endpoint, "bktest-assets")).toEqual(sourceKeys);
    const nested = sourceKeys.find((k) => k.startsWith("nested/")) as string;
    const head = await s3(endpoint).send(new HeadObjectCommand({ Bucket: "bktest-assets", Key: nested }));
    expect(head.ContentType).toBe("application/json");
    expect(head.ContentLength).toBeGreaterThan(0);
    expect(await tagsOf(endpoint, "bktest-assets")).not.toHaveProperty("parity:copying");

    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();

    // A copy interrupted after 15 objects (10 never arrived) is finished by the next apply, which
    // copies only those 10.
    for (const key of sourceKeys.slice(0, 10)) {
      await s3(endpoint).send(new DeleteObjectCommand({ Bucket: "bktest-assets", Key: key }));
    }
    const resume = await planFile(file, endpoint);
    expect(actions(resume.plan)).toEqual(["update buckets.assets"]);
    expect(change(resume.plan, "buckets.assets").attributes).toEqual([
      expect.objectContaining({ path: "contents", before: "has objects", after: "copy of bktest-source" }),
    ]);
    expect(change(resume.plan, "buckets.assets").notes).toEqual([
      "from bktest-source: copy 10 objects (12.0 KiB), skip 15",
    ]);
    const resumed: ApplyEvent[] = [];
    expect((await applySession(resume, { events: (e) => resumed.push(e) })).failed).toEqual([]);
    resume.ctx.destroy();
    expect(resumed.flatMap((e) => (e.type === "progress" ? [e.message] : []))).toContain(
      "copied 10 of 10 objects (12.0 KiB of 12.0 KiB) from bktest-source",
    );
    expect(await keysOf(endpoint, "bktest-assets")).toEqual(sourceKeys);
    const settled = await planFile(file, endpoint);
    expect(actions(settled.plan)).toEqual([]);
    settled.ctx.destroy();
    // The source is read, never managed.
    expect(await keysOf(endpoint, "bktest-source")).toEqual(sourceKeys);
  });

  it("adopts an existing untagged bucket, keeps its tags, and seeds it", async () => {
    const endpoint = emulator().endpoint;
    const sourceKeys = await seedSource(endpoint, "bktest-seed", 3);
    await s3(endpoint).send(
      new CreateBucketCommand({
        Bucket: "bktest-legacy",
        CreateBucketConfiguration: { LocationConstraint: "us-west-1" },
      }),
    );
    await s3(endpoint).send(
      new PutBucketTaggingCommand({
        Bucket: "bktest-legacy",
        Tagging: { TagSet: [{ Key: "team", Value: "web" }] },
      }),
    );
    const file = writeEnvironment(`
environment: bktest
region: us-west-1
buckets:
  legacy: { name: bktest-legacy, copyFrom: bktest-seed, website: { indexDocument: index.html } }
`);
    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt buckets.legacy"]);
    const adopt = change(plan.plan, "buckets.legacy");
    expect(adopt.notes).toEqual(["from bktest-seed: copy 3 objects (600 B), skip 0"]);
    expect(adopt.attributes.map((a) => a.path).sort()).toEqual(["contents", "website"]);
    plan.ctx.destroy();
    await applyFile(file, endpoint);

    expect(await tagsOf(endpoint, "bktest-legacy")).toEqual({
      team: "web",
      "parity:environment": "bktest",
      "parity:region": "us-west-1",
      "parity:address": "buckets.legacy",
    });
    expect(await keysOf(endpoint, "bktest-legacy")).toEqual(sourceKeys);
    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
  });

  it("refuses an unreadable source", async () => {
    const endpoint = emulator().endpoint;
    const missing = writeEnvironment(`
environment: bktest
region: us-west-1
buckets:
  assets: { name: bktest-new, copyFrom: bktest-nowhere }
`);
    await expect(planFile(missing, endpoint)).rejects.toThrow(
      "buckets.assets: copyFrom: cannot read bucket bktest-nowhere: it does not exist",
    );
  });

  it("create carries on over a bucket its own interrupted run made, and refuses another's", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(`
environment: bktest
region: us-west-1
buckets:
  site: { name: bktest-rerun, website: { indexDocument: index.html } }
  other: { name: bktest-taken }
`);
    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual(["create buckets.site", "create buckets.other"]);
    // Between plan and apply: the first bucket appears untagged (a CreateBucket that went through
    // before an interruption), the second appears owned by another environment.
    await s3(endpoint).send(
      new CreateBucketCommand({
        Bucket: "bktest-rerun",
        CreateBucketConfiguration: { LocationConstraint: "us-west-1" },
      }),
    );
    await s3(endpoint).send(
      new CreateBucketCommand({
        Bucket: "bktest-taken",
        CreateBucketConfiguration: { LocationConstraint: "us-west-1" },
      }),
    );
    await s3(endpoint).send(
      new PutBucketTaggingCommand({
        Bucket: "bktest-taken",
        Tagging: {
          TagSet: [
            { Key: "parity:environment", Value: "production" },
            { Key: "parity:address", Value: "buckets.other" },
          ],
        },
      }),
    );
    const result = await applySession(plan);
    plan.ctx.destroy();
    expect(result.failed).toEqual([
      {
        address: "buckets.other",
        error: 'bucket bktest-taken already exists and belongs to the parity environment "production"',
      },
    ]);
    expect(await tagsOf(endpoint, "bktest-rerun")).toMatchObject({ "parity:address": "buckets.site" });
    const website = await s3(endpoint).send(new GetBucketWebsiteCommand({ Bucket: "bktest-rerun" }));
    expect(website.IndexDocument?.Suffix).toBe("index.html");
    expect(await tagsOf(endpoint, "bktest-taken")).toEqual({
      "parity:environment": "production",
      "parity:address": "buckets.other",
    });
  });

  it("never adopts a bucket tagged for another environment", async () => {
    const endpoint = emulator().endpoint;
    await s3(endpoint).send(
      new CreateBucketCommand({
        Bucket: "bktest-prod",
        CreateBucketConfiguration: { LocationConstraint: "us-west-1" },
      }),
    );
    await s3(endpoint).send(
      new PutBucketTaggingCommand({
        Bucket: "bktest-prod",
        Tagging: {
          TagSet: [
            { Key: "parity:environment", Value: "production" },
            { Key: "parity:address", Value: "buckets.site" },
          ],
        },
      }),
    );
    const file = writeEnvironment(`
environment: bktest
region: us-west-1
buckets:
  site: { name: bktest-prod }
`);
    await expect(planFile(file, endpoint)).rejects.toThrow(
      'bucket bktest-prod belongs to the parity environment "production"',
    );
  });
});
