import { describe, expect, it } from "vitest";
import { changeOf } from "../support/plans.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import type { DesiredNode, Value } from "../../src/model/index.js";
import { bucketType } from "../../src/providers/aws/buckets/index.js";
import { copyFactsKey, planCopy } from "../../src/providers/aws/buckets/copy.js";
import type { CopyFacts } from "../../src/providers/aws/buckets/copy.js";
import { actionsDigest, syncActions } from "../../src/providers/aws/buckets/sync.js";
import type { ListedObject } from "../../src/providers/aws/buckets/sync.js";
import {
  bucketOutputs,
  domainName,
  locationConstraint,
  regionFromLocation,
  websiteDomain,
} from "../../src/providers/aws/buckets/naming.js";
import { copySource } from "../../src/providers/aws/buckets/objects.js";
import { describeObjects, formatBytes, formatCount } from "../../src/providers/aws/buckets/units.js";

const env: EnvironmentInfo = {
  environment: "staging",
  region: "us-west-1",
  tags: { project: "khorium" },
  secrets: {},
};

function resolver(facts: { [key: string]: Value } = {}) {
  return makeResolver(new Map([["buckets.dev", [{ name: "dev-assets" }]]]), facts, env);
}

function bucketNode(spec: { [key: string]: Value }): DesiredNode {
  return {
    address: "buckets.assets",
    type: "buckets",
    group: "buckets.assets",
    spec,
    dependsOn: [],
    protect: false,
  };
}

describe("bucket names and endpoints", () => {
  it("uses the dash website endpoint in the original regions and the dot form everywhere else", () => {
    expect(websiteDomain("site", "us-west-1")).toBe("site.s3-website-us-west-1.amazonaws.com");
    expect(websiteDomain("site", "us-east-1")).toBe("site.s3-website-us-east-1.amazonaws.com");
    expect(websiteDomain("site", "eu-west-1")).toBe("site.s3-website-eu-west-1.amazonaws.com");
    expect(websiteDomain("site", "us-east-2")).toBe("site.s3-website.us-east-2.amazonaws.com");
    expect(websiteDomain("site", "eu-central-1")).toBe("site.s3-website.eu-central-1.amazonaws.com");
    expect(websiteDomain("site", "cn-north-1")).toBe("site.s3-website.cn-north-1.amazonaws.com.cn");
  });

  it("derives the regional domain and ARN from the name", () => {
    expect(domainName("site", "us-west-1")).toBe("site.s3.us-west-1.amazonaws.com");
    expect(bucketOutputs("site", "us-gov-west-1").arn).toBe("arn:aws-us-gov:s3:::site");
    expect(bucketType.plannedOutputs?.(bucketNode({ name: "site" }), env)).toEqual({
      name: "site",
      arn: "arn:aws:s3:::site",
      websiteDomain: "site.s3-website-us-west-1.amazonaws.com",
      domainName: "site.s3.us-west-1.amazonaws.com",
    });
  });

  it("reads GetBucketLocation's legacy answers and omits the constraint only in us-east-1", () => {
    expect(regionFromLocation(undefined)).toBe("us-east-1");
    expect(regionFromLocation("")).toBe("us-east-1");
    expect(regionFromLocation("EU")).toBe("eu-west-1");
    expect(regionFromLocation("ap-south-1")).toBe("ap-south-1");
    expect(locationConstraint("us-east-1")).toBeUndefined();
    expect(locationConstraint("us-west-1")).toBe("us-west-1");
  });

  it("URL-encodes each segment of a copy source key", () => {
    expect(copySource("src", "nested/dir 3/a+b.json")).toBe("src/nested/dir%203/a%2Bb.json");
  });
});

describe("human-readable sizes", () => {
  it("formats counts with separators and sizes in binary units", () => {
    expect(formatCount(1240)).toBe("1,240");
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1024 * 1024 - 1)).toBe("1.0 MiB");
    expect(formatBytes(3.1 * 1024 ** 3)).toBe("3.1 GiB");
    expect(describeObjects(1, 10)).toBe("1 object, 10 B");
  });
});

function object(key: string, size: number, etag: string, lastModified = 1000): ListedObject {
  return { key, size, etag, lastModified };
}

const MD5_A = '"0cc175b9c0f1b6a831c399e269772661"';
const MD5_B = '"92eb5ffee6ae2fec3ad71c777531578f"';

describe("comparing a bucket with its copyFrom, as aws s3 sync does", () => {
  const source = [object("a", 1, MD5_A), object("b", 1, MD5_A), object("c", 2, MD5_A), object("d", 1, MD5_A)];
  const target = [object("a", 1, MD5_A), object("b", 1, MD5_B), object("c", 1, MD5_A), object("x", 5, MD5_A)];

  it("copies what is missing or different in size or content, skips the same, keeps extras without sync", () => {
    const actions = syncActions(source, target, false);
    expect(actions.copy.map((o) => o.key)).toEqual(["b", "c", "d"]);
    expect(actions.skip.map((o) => o.key)).toEqual(["a"]);
    expect(actions.remove).toEqual([]);
    expect(actions.kept.map((o) => o.key)).toEqual(["x"]);
  });

  it("with sync, deletes what the source does not have", () => {
    const actions = syncActions(source, target, true);
    expect(actions.remove.map((o) => o.key)).toEqual(["x"]);
    expect(actions.kept).toEqual([]);
  });

  it("compares multipart uploads by age, since their ETag depends on the part size", () => {
    const multipart = [object("big", 10, '"abc-3"', 2000)];
    expect(syncActions(multipart, [object("big", 10, MD5_A, 3000)], false).copy).toEqual([]);
    expect(syncActions(multipart, [object("big", 10, MD5_A, 1000)], false).copy).toHaveLength(1);
  });

  it("fingerprints exactly what apply will do", () => {
    const digest = actionsDigest(syncActions(source, target, true));
    // A kept or skipped object changing does not change what apply does; an object to copy does.
    expect(actionsDigest(syncActions(source, [...target, object("y", 1, MD5_A)], false))).toBe(
      actionsDigest(syncActions(source, [...target], false)),
    );
    const edited = source.map((o) => (o.key === "d" ? object("d", 1, MD5_B) : o));
    expect(actionsDigest(syncActions(edited, target, true))).not.toBe(digest);
  });
});

function copyFacts(facts: Partial<CopyFacts>): { [key: string]: Value } {
  const full: CopyFacts = {
    source: "dev-assets",
    sync: false,
    copy: { objects: 1240, bytes: 3.1 * 1024 ** 3 },
    skip: { objects: 12, bytes: 1200 },
    remove: { objects: 0, bytes: 0 },
    kept: { objects: 0, bytes: 0 },
    tooLarge: 0,
    digest: "d",
    ...facts,
  };
  return { [copyFactsKey("staging-assets")]: full };
}

describe("copyFrom planning", () => {
  it("plans a copy with counts and sizes in the notes, new bucket or not", () => {
    const facts = copyFacts({});
    const state = bucketType.desired(
      bucketNode({ name: "staging-assets", copyFrom: "dev-assets" }),
      resolver(facts),
      undefined,
    );
    expect(state.attributes.contents).toBe("copy of dev-assets");
    expect(state.notes).toEqual(["from dev-assets: copy 1,240 objects (3.1 GiB), skip 12"]);
    expect(planCopy({ name: "staging-assets", copyFrom: "dev-assets" }, resolver(facts)).contents).toBe(
      "copy of dev-assets",
    );
  });

  it("says what a sync deletes and that it needs --allow-destroy, and what a copy keeps", () => {
    const sync = planCopy(
      { name: "staging-assets", copyFrom: "dev-assets", sync: true },
      resolver(copyFacts({ sync: true, remove: { objects: 3, bytes: 1536 } })),
    );
    expect(sync.notes).toEqual([
      "from dev-assets: copy 1,240 objects (3.1 GiB), skip 12, delete 3 (1.5 KiB)",
      "deleting 3 objects, 1.5 KiB that dev-assets does not have loses them: needs --allow-destroy",
    ]);
    const keep = planCopy(
      { name: "staging-assets", copyFrom: "dev-assets" },
      resolver(copyFacts({ kept: { objects: 1, bytes: 5 } })),
    );
    expect(keep.notes?.[1]).toBe(
      "keeps 1 object that dev-assets does not have (sync: true would delete them)",
    );
  });

  it("plans nothing when nothing is to be copied or deleted, so a finished copy never shows a diff", () => {
    const facts = copyFacts({ copy: { objects: 0, bytes: 0 }, kept: { objects: 4, bytes: 4 } });
    expect(planCopy({ name: "staging-assets", copyFrom: "dev-assets" }, resolver(facts))).toEqual({});
  });

  it("makes an unreadable bucket or an over-sized object a plan error", () => {
    const missing = { [copyFactsKey("t-b")]: { unreadable: "it does not exist", bucket: "dev-assets" } };
    expect(planCopy({ name: "t-b", copyFrom: "dev-assets" }, resolver(missing)).errors?.[0]?.message).toBe(
      "copyFrom: cannot read bucket dev-assets: it does not exist",
    );
    const huge = copyFacts({ tooLarge: 1 });
    expect(
      planCopy({ name: "staging-assets", copyFrom: "dev-assets" }, resolver(huge)).errors?.[0]?.message,
    ).toMatch(/larger than 5 GiB/);
  });
});

describe("bucket risks", () => {
  it("flags data loss for deleting anything but an empty bucket", () => {
    const del = (contents: string) =>
      bucketType.risks?.(changeOf({ address: "buckets.assets", action: "delete", before: { contents } }));
    expect(del("empty")).toEqual([]);
    expect(del("has objects")).toEqual(["data-loss"]);
    expect(del("incomplete copy from dev-assets")).toEqual(["data-loss"]);
  });

  it("flags data loss for a sync that deletes objects, and only then", () => {
    const update = (notes: string[]) =>
      bucketType.risks?.(changeOf({ address: "buckets.assets", action: "update", notes }));
    const facts = copyFacts({ sync: true, remove: { objects: 3, bytes: 3 } });
    const deleting = planCopy(
      { name: "staging-assets", copyFrom: "dev-assets", sync: true },
      resolver(facts),
    );
    expect(update(deleting.notes ?? [])).toEqual(["data-loss"]);
    expect(update(["from dev-assets: copy 1 object (1 B), skip 0, delete 0 (0 B)"])).toEqual([]);
  });
});
