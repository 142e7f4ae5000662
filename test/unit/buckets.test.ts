import { describe, expect, it } from "vitest";
import { changeOf } from "../support/plans.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../src/model/index.js";
import { bucketType } from "../../src/providers/aws/buckets/index.js";
import { COPY_SOURCES, planCopy, plannedCopySource } from "../../src/providers/aws/buckets/copy.js";
import {
  bucketOutputs,
  domainName,
  locationConstraint,
  regionFromLocation,
  websiteDomain,
} from "../../src/providers/aws/buckets/naming.js";
import { copySource } from "../../src/providers/aws/buckets/objects.js";
import { contentsAttribute } from "../../src/providers/aws/buckets/observe.js";
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

function observedBucket(objectCount: number, copying?: string): ObservedNode {
  return {
    type: "buckets",
    address: "buckets.assets",
    id: "staging-assets",
    managed: true,
    attributes: {
      name: "staging-assets",
      region: "us-west-1",
      tags: {},
      website: null,
      contents: contentsAttribute(objectCount, copying),
    },
    outputs: {},
    details: { objectCount, ...(copying ? { copying } : {}) },
  };
}

const SOURCE_FACTS = {
  [COPY_SOURCES]: { "dev-assets": { objects: 1240, bytes: 3.1 * 1024 ** 3, tooLarge: 0 } },
};

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

describe("copyFrom planning", () => {
  it("plans a copy into a new bucket, with the size in the note", () => {
    const state = bucketType.desired(
      bucketNode({ name: "staging-assets", copyFrom: "dev-assets" }),
      resolver(SOURCE_FACTS),
      undefined,
    );
    expect(state.attributes.contents).toBe("copy of dev-assets");
    expect(state.notes).toEqual(["copy 1,240 objects, 3.1 GiB from dev-assets"]);
    expect(plannedCopySource(state.attributes)).toBe("dev-assets");
  });

  it("plans a copy into an existing empty bucket and resumes an interrupted one, never into a seeded one", () => {
    const spec = { name: "staging-assets", copyFrom: "dev-assets" };
    expect(planCopy(spec, resolver(SOURCE_FACTS), observedBucket(0)).contents).toBe("copy of dev-assets");
    expect(planCopy(spec, resolver(SOURCE_FACTS), observedBucket(1, "dev-assets")).contents).toBe(
      "copy of dev-assets",
    );
    expect(planCopy(spec, resolver(SOURCE_FACTS), observedBucket(1))).toEqual({});
    // A marker for another source (copyFrom was changed since) does not restart anything.
    expect(planCopy(spec, resolver(SOURCE_FACTS), observedBucket(1, "old-assets"))).toEqual({});
  });

  it("plans nothing for an empty source, so an empty target never shows a perpetual diff", () => {
    const facts = { [COPY_SOURCES]: { "dev-assets": { objects: 0, bytes: 0, tooLarge: 0 } } };
    expect(
      planCopy({ name: "staging-assets", copyFrom: "dev-assets" }, resolver(facts), observedBucket(0)),
    ).toEqual({});
  });

  it("follows a reference to another bucket entry to its name", () => {
    const plan = planCopy(
      { name: "staging-assets", copyFrom: "buckets.dev" },
      resolver(SOURCE_FACTS),
      undefined,
    );
    expect(plan.notes).toEqual(["copy 1,240 objects, 3.1 GiB from dev-assets"]);
  });

  it("makes an unreadable source or an over-sized object a plan error", () => {
    const missing = { [COPY_SOURCES]: { "dev-assets": { unreadable: "it does not exist" } } };
    expect(
      planCopy({ name: "t-b", copyFrom: "dev-assets" }, resolver(missing), undefined).errors?.[0]?.message,
    ).toBe("copyFrom: cannot read bucket dev-assets: it does not exist");
    const huge = { [COPY_SOURCES]: { "dev-assets": { objects: 2, bytes: 7 * 1024 ** 3, tooLarge: 1 } } };
    expect(
      planCopy({ name: "t-b", copyFrom: "dev-assets" }, resolver(huge), undefined).errors?.[0]?.message,
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
});
