import { describe, expect, it } from "vitest";
import { anImage, createZone, crowdAccount } from "../../bench/crowd.js";
import { PASSWORD_VARIABLE, staging, stagingYaml } from "../../bench/staging.js";
import { applySession, load, planLoaded } from "../../src/cli/workflow.js";
import { useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();
const secrets = { [PASSWORD_VARIABLE]: "bench-password" };

/** The calls of one in-process plan (or plan and apply), counted at the SDK, by operation. */
async function counted(file: string, endpoint: string, apply = false): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  const onCall = (service: string, operation: string) => {
    const name = `${service}:${operation}`;
    calls.set(name, (calls.get(name) ?? 0) + 1);
  };
  const { loaded, diagnostics } = load(file, { secrets });
  if (!loaded) throw new Error(diagnostics.map((d) => d.message).join("; "));
  const session = await planLoaded(loaded, { endpoint, onCall });
  try {
    if (session.errors.length > 0) throw new Error(session.errors.map((e) => e.message).join("; "));
    if (apply) {
      const result = await applySession(session);
      if (result.failed.length > 0) throw new Error(result.failed.map((f) => f.error).join("; "));
    } else {
      expect(session.plan.changes.filter((c) => c.action !== "no-op")).toEqual([]);
    }
  } finally {
    session.ctx.destroy();
  }
  return calls;
}

const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);

async function steadyStaging(size: number): Promise<{ file: string; endpoint: string; image: string }> {
  const { endpoint } = emulator();
  const image = await anImage(endpoint);
  const workload = staging(size, image);
  await createZone(endpoint, workload.zone);
  const file = writeEnvironment(stagingYaml(workload));
  await counted(file, endpoint, true);
  return { file, endpoint, image };
}

/** The bench's staging workload, small: what it asserts is call counts, never times. */
describe("the staging workload's call counts", () => {
  it("plans no changes with the same calls at 2 and at 30 instances, one DescribeInstances each", async () => {
    const small = await steadyStaging(2);
    const few = await counted(small.file, small.endpoint);
    await emulator().reset();
    const large = await steadyStaging(30);
    const many = await counted(large.file, large.endpoint);
    expect(many).toEqual(few);
    expect(many.get("ec2:DescribeInstances")).toBe(1);
    // Measured: 18. The tagging API (one GetResources in the region, one in us-east-1 for
    // CloudFront) replaced ListBuckets, ListDistributions and the tag-filtered DescribeParameters,
    // and gives the tags of the owned buckets, distributions, load balancers and target groups; a
    // kept bucket is not asked whether it is empty; kinds the file does not use (caches, AMIs) are
    // not listed while none is ours; one DescribeSubnets resolves the default network; the file's
    // DNS zone is found in the zone listing the marks need; an owned bucket's tags say its region;
    // a path with few keys is read whole. The rest is one listing per kind,
    // ELBv2's per-resource reads, and the marks of the DNS zones.
    expect(total(many)).toBeLessThanOrEqual(18);
    for (const gone of [
      "s3:GetBucketTagging",
      "s3:ListObjectsV2",
      "cloudfront:ListTagsForResource",
      "ec2:DescribeImages",
      "elasticloadbalancing:DescribeTags",
      "elasticache:DescribeReplicationGroups",
      "ec2:DescribeVpcs",
      "route53:ListHostedZonesByName",
      "s3:GetBucketLocation",
      "ssm:GetParameters",
      "ssm:DescribeParameters",
    ])
      expect(many.get(gone)).toBeUndefined();
  });

  it("launches through the batched wait reads, never more than one read per launch", async () => {
    const { endpoint } = emulator();
    const image = await anImage(endpoint);
    const workload = staging(30, image);
    await createZone(endpoint, workload.zone);
    const calls = await counted(writeEnvironment(stagingYaml(workload)), endpoint, true);
    expect(calls.get("ec2:RunInstances")).toBe(30);
    // How many waits share one read depends on when their launches answer (the unit test of
    // batching.ts pins that with fake timers); the plan's own read is the one more.
    expect(calls.get("ec2:DescribeInstances") ?? 0).toBeLessThanOrEqual(31);
  });

  it("plans a crowded account with as many calls as an empty one", async () => {
    const { file, endpoint, image } = await steadyStaging(2);
    const empty = await counted(file, endpoint);
    await crowdAccount(endpoint, image, { buckets: 6, distributions: 3, instances: 20, parameters: 30 });
    expect(await counted(file, endpoint)).toEqual(empty);
  });
});
