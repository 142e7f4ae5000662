import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { applySession } from "../../src/cli/workflow.js";
import { parity } from "../support/child.js";
import { actions, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

function s3(endpoint: string): S3Client {
  return new S3Client({ region: "us-west-1", endpoint, forcePathStyle: true });
}

/** `aws s3 mb s3://NAME --region us-west-1`, then `aws s3 cp` of each object. */
async function bucketWith(endpoint: string, bucket: string, objects: Record<string, string>): Promise<void> {
  await s3(endpoint).send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: "us-west-1" },
    }),
  );
  for (const [Key, Body] of Object.entries(objects)) {
    await s3(endpoint).send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType: "text/plain" }));
  }
}

/** Every object of a bucket, key → its content, read back with ListObjectsV2 and GetObject. */
async function contentsOf(endpoint: string, bucket: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await s3(endpoint).send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 2 }),
    );
    for (const o of page.Contents ?? []) {
      const got = await s3(endpoint).send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
      out[o.Key as string] = (await got.Body?.transformToString()) ?? "";
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

async function etag(endpoint: string, bucket: string, key: string): Promise<string | undefined> {
  return (await s3(endpoint).send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
}

async function tagsOf(endpoint: string, bucket: string): Promise<Record<string, string>> {
  try {
    const found = await s3(endpoint).send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return Object.fromEntries((found.TagSet ?? []).map((t) => [t.Key, t.Value]));
  } catch {
    return {};
  }
}

// dev holds what staging should: two objects staging already has as they are, one it has with
// other content (same size), one with another size, two it lacks; staging has three dev does not.
const DEV = {
  "index.html": "<h1>v2</h1>",
  "app.js": "console.log(2)",
  "same-size.txt": "bbbb",
  "longer.txt": "now longer",
  "new/a.css": "a{}",
  "new/b.css": "b{color:red}",
};
const STAGING = {
  "index.html": "<h1>v2</h1>",
  "app.js": "console.log(2)",
  "same-size.txt": "aaaa",
  "longer.txt": "short",
  "old/x.txt": "x",
  "old/y.txt": "yy",
  "stale.html": "gone",
};
const FILE = `
environment: synctest
region: us-west-1
buckets:
  web: { name: synctest-staging, copyFrom: synctest-dev }
`;

describe("copyFrom into a bucket that already holds objects (issue 10, finding 7)", () => {
  it("plans exact copy and skip counts, copies only what differs, keeps extras, and re-plans clean", async () => {
    const endpoint = emulator().endpoint;
    await bucketWith(endpoint, "synctest-dev", DEV);
    await bucketWith(endpoint, "synctest-staging", STAGING);
    const file = writeEnvironment(FILE);

    const plan = await planFile(file, endpoint);
    expect(actions(plan.plan)).toEqual(["adopt buckets.web"]);
    const adopt = change(plan.plan, "buckets.web");
    // 4 to copy: same-size.txt (4 B), longer.txt (10 B), new/a.css (3 B), new/b.css (12 B).
    expect(adopt.notes).toEqual([
      "from synctest-dev: copy 4 objects (29 B), skip 2",
      "keeps 3 objects that synctest-dev does not have (sync: true would delete them)",
    ]);
    expect(adopt.risks).toEqual([]);
    expect(adopt.attributes).toEqual([
      expect.objectContaining({ path: "contents", before: "has objects", after: "copy of synctest-dev" }),
    ]);
    const skipped = await etag(endpoint, "synctest-staging", "index.html");
    expect((await applySession(plan)).failed).toEqual([]);
    plan.ctx.destroy();

    expect(await contentsOf(endpoint, "synctest-staging")).toEqual({
      ...DEV,
      "old/x.txt": "x",
      "old/y.txt": "yy",
      "stale.html": "gone",
    });
    for (const key of Object.keys(DEV)) {
      expect(await etag(endpoint, "synctest-staging", key)).toBe(await etag(endpoint, "synctest-dev", key));
    }
    expect(await etag(endpoint, "synctest-staging", "index.html")).toBe(skipped);

    const again = await planFile(file, endpoint);
    expect(actions(again.plan)).toEqual([]);
    again.ctx.destroy();
  });

  it("with sync: true, deletes what dev lacks only with --allow-destroy, and changes nothing without it", async () => {
    const endpoint = emulator().endpoint;
    await bucketWith(endpoint, "synctest-dev", DEV);
    await bucketWith(endpoint, "synctest-staging", STAGING);
    const file = writeEnvironment(
      FILE.replace("copyFrom: synctest-dev", "copyFrom: synctest-dev, sync: true"),
    );
    const cwd = dirname(file);

    const shown = await parity(["plan", file, "--json", "--out", join(cwd, "plan.json")], { endpoint, cwd });
    expect(shown.code).toBe(0);
    const json = JSON.parse(shown.stdout) as {
      changes: { address: string; risks: string[]; notes: string[] }[];
    };
    const web = json.changes.find((c) => c.address === "buckets.web");
    // 3 to delete: old/x.txt (1 B), old/y.txt (2 B), stale.html (4 B).
    expect(web?.notes).toEqual([
      "from synctest-dev: copy 4 objects (29 B), skip 2, delete 3 (7 B)",
      "deleting 3 objects, 7 B that synctest-dev does not have loses them: needs --allow-destroy",
    ]);
    expect(web?.risks).toEqual(["data-loss"]);

    const refused = await parity(["apply", file, "--auto-approve"], { endpoint, cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "refusing to delete data: buckets.web (deletes data). Nothing was changed.",
    );
    const savedRefused = await parity(["apply", join(cwd, "plan.json"), "--auto-approve"], { endpoint, cwd });
    expect(savedRefused.code).toBe(1);
    // Nothing copied, nothing deleted, not even adopted.
    expect(await contentsOf(endpoint, "synctest-staging")).toEqual(STAGING);
    expect(await tagsOf(endpoint, "synctest-staging")).toEqual({});

    const allowed = await parity(["apply", join(cwd, "plan.json"), "--auto-approve", "--allow-destroy"], {
      endpoint,
      cwd,
    });
    expect(allowed.code).toBe(0);
    expect(await contentsOf(endpoint, "synctest-staging")).toEqual(DEV);
    const clean = await parity(["plan", file, "--detailed-exitcode"], { endpoint, cwd });
    expect(clean.code).toBe(0);
  });

  it("copies nothing when the source changed after the plan, and says so", async () => {
    const endpoint = emulator().endpoint;
    await bucketWith(endpoint, "synctest-dev", DEV);
    await bucketWith(endpoint, "synctest-staging", STAGING);
    const file = writeEnvironment(FILE);
    const cwd = dirname(file);

    // A saved plan: apply refuses it as stale, naming the copy that moved.
    expect((await parity(["plan", file, "--out", join(cwd, "plan.json")], { endpoint, cwd })).code).toBe(0);
    await s3(endpoint).send(new PutObjectCommand({ Bucket: "synctest-dev", Key: "new/c.css", Body: "c{}" }));
    const stale = await parity(["apply", join(cwd, "plan.json"), "--auto-approve"], { endpoint, cwd });
    expect(stale.code).toBe(3);
    expect(stale.stdout + stale.stderr).toContain('lookup "bucket copy into synctest-staging"');
    expect(await contentsOf(endpoint, "synctest-staging")).toEqual(STAGING);

    // Planned and applied in one run, with the source edited in between: the copy does nothing.
    const plan = await planFile(file, endpoint);
    await s3(endpoint).send(new PutObjectCommand({ Bucket: "synctest-dev", Key: "new/a.css", Body: "a{x}" }));
    const result = await applySession(plan);
    plan.ctx.destroy();
    expect(result.failed).toEqual([
      {
        address: "buckets.web",
        error:
          "synctest-dev or synctest-staging changed since the plan: it planned to copy 5 objects (32 B), skip 2; now it would copy 5 objects (33 B), skip 2. Nothing was copied or deleted: plan again and review",
      },
    ]);
    expect(await contentsOf(endpoint, "synctest-staging")).toEqual(STAGING);
  });
});
