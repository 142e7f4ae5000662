import {
  AddTagsToResourceCommand,
  CreateReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-elasticache";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { startFaultProxy } from "../support/faultProxy.js";
import { actions, applyFile, change, livePlan, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: cachetest
region: us-west-1
tags: { project: parity-test }
`;

const GROUPS = `
securityGroups:
  app: { name: cachetest-app, ingress: [{ port: 8080, cidr: 10.0.0.0/16 }] }
  cache: { name: cachetest-cache, ingress: [{ port: 6379, source: securityGroups.app }] }
`;

const CACHE = `
caches:
  sessions:
    id: CacheTest-Sessions
    nodeType: cache.t3.micro
    engineVersion: "7.1"
    replicas: 1
    securityGroups: [securityGroups.cache]
    atRestEncryption: true
    snapshotRetentionDays: 2
    tags: { team: web }
`;

const APP_ENV = `
appEnv:
  path: /cachetest/
  values:
    REDIS_URL: "redis://\${caches.sessions.endpoint}:\${caches.sessions.port}"
`;

function elasticache(endpoint: string): ElastiCacheClient {
  return new ElastiCacheClient({ region: "us-west-1", endpoint });
}

async function group(endpoint: string, id: string) {
  const found = await elasticache(endpoint).send(
    new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }),
  );
  return found.ReplicationGroups?.[0];
}

async function tags(endpoint: string, arn: string): Promise<Record<string, string>> {
  const found = await elasticache(endpoint).send(new ListTagsForResourceCommand({ ResourceName: arn }));
  return Object.fromEntries((found.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/** As `aws elasticache create-replication-group` would make it, by hand. */
async function createByHand(endpoint: string, tagList: { Key: string; Value: string }[] = []) {
  await elasticache(endpoint).send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "cachetest-sessions",
      ReplicationGroupDescription: "sessions",
      Engine: "redis",
      EngineVersion: "7.1",
      CacheNodeType: "cache.t3.micro",
      ReplicasPerNodeGroup: 1,
      AtRestEncryptionEnabled: true,
      SnapshotRetentionLimit: 2,
      Tags: [{ Key: "team", Value: "web" }, ...tagList],
    }),
  );
}

describe("caches against moto", () => {
  it("creates a group, interpolates its endpoint into appEnv, re-plans clean, and shows a hand-made change as one update", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + GROUPS + CACHE + APP_ENV);

    const first = await livePlan(file, endpoint);
    expect(actions(first)).toEqual([
      "create securityGroups.app",
      "create securityGroups.cache",
      "create caches.sessions",
      "create appEnv.values.REDIS_URL",
    ]);
    const create = change(first, "caches.sessions");
    expect(create.after).toMatchObject({
      id: "cachetest-sessions",
      engine: "redis",
      replicas: 1,
      port: 6379,
      subnetGroup: "default",
      atRestEncryption: true,
      transitEncryption: false,
    });
    expect(create.expectedSeconds).toBe(600);
    // The endpoint exists only once the group does.
    expect(change(first, "appEnv.values.REDIS_URL").after?.value).toEqual({ $unknown: expect.any(String) });

    await applyFile(file, endpoint);
    const made = await group(endpoint, "cachetest-sessions");
    expect(made?.Status).toBe("available");
    expect(made?.CacheNodeType).toBe("cache.t3.micro");
    expect(made?.AtRestEncryptionEnabled).toBe(true);
    expect(made?.SnapshotRetentionLimit).toBe(2);
    expect(made?.NodeGroups?.[0]?.NodeGroupMembers).toHaveLength(2);
    expect(await tags(endpoint, made?.ARN ?? "")).toMatchObject({
      team: "web",
      project: "parity-test",
      "parity:environment": "cachetest",
      "parity:address": "caches.sessions",
    });
    const primary = made?.NodeGroups?.[0]?.PrimaryEndpoint;
    const url = await new SSMClient({ region: "us-west-1", endpoint }).send(
      new GetParameterCommand({ Name: "/cachetest/REDIS_URL" }),
    );
    expect(url.Parameter?.Value).toBe(`redis://${primary?.Address}:${primary?.Port}`);
    expect(primary?.Address).toMatch(/cachetest-sessions/);

    expect(actions(await livePlan(file, endpoint))).toEqual([]);

    // By hand, as `aws elasticache add-tags-to-resource` would (moto implements no ModifyReplicationGroup).
    await elasticache(endpoint).send(
      new AddTagsToResourceCommand({ ResourceName: made?.ARN ?? "", Tags: [{ Key: "team", Value: "ops" }] }),
    );
    const drift = await livePlan(file, endpoint);
    expect(actions(drift)).toEqual(["update caches.sessions"]);
    expect(change(drift, "caches.sessions").attributes).toEqual([
      expect.objectContaining({ path: "tags.team", before: "ops", after: "web", forcesReplacement: false }),
    ]);
    await applyFile(file, endpoint);
    expect((await tags(endpoint, made?.ARN ?? "")).team).toBe("web");
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("reads no group's tags from ElastiCache on a steady plan, not even another's in the account", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + CACHE.replace("    securityGroups: [securityGroups.cache]\n", ""));
    await applyFile(file, endpoint);
    await elasticache(endpoint).send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "someone-else",
        ReplicationGroupDescription: "not ours",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    );

    const proxy = await startFaultProxy({ target: endpoint });
    try {
      expect(actions(await livePlan(file, proxy.endpoint))).toEqual([]);
    } finally {
      await proxy.stop();
    }
    const reads = proxy.calls.filter((c) => c.service === "elasticache").map((c) => c.operation);
    expect(reads.sort()).toEqual(["DescribeCacheClusters", "DescribeReplicationGroups"]);
    // The tags the plan found equal are the live ones.
    const live = await group(endpoint, "cachetest-sessions");
    expect(await tags(endpoint, live?.ARN ?? "")).toMatchObject({
      team: "web",
      "parity:address": "caches.sessions",
    });
  });

  it("adopts a group made by hand with no attribute changes, and tags it", async () => {
    const endpoint = emulator().endpoint;
    await createByHand(endpoint);
    const file = writeEnvironment(HEAD + CACHE.replace("    securityGroups: [securityGroups.cache]\n", ""));

    const plan = await livePlan(file, endpoint);
    expect(actions(plan)).toEqual(["adopt caches.sessions"]);
    expect(change(plan, "caches.sessions").attributes.filter((a) => !a.path.startsWith("tags."))).toEqual([]);
    await applyFile(file, endpoint);
    const adopted = await group(endpoint, "cachetest-sessions");
    expect(await tags(endpoint, adopted?.ARN ?? "")).toMatchObject({
      "parity:environment": "cachetest",
      "parity:address": "caches.sessions",
    });
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });

  it("refuses a group another parity environment owns, naming the owner", async () => {
    const endpoint = emulator().endpoint;
    await createByHand(endpoint, [
      { Key: "parity:environment", Value: "production" },
      { Key: "parity:address", Value: "caches.sessions" },
    ]);
    const file = writeEnvironment(HEAD + CACHE.replace("    securityGroups: [securityGroups.cache]\n", ""));
    await expect(livePlan(file, endpoint)).rejects.toThrow(/cachetest-sessions.*"production"/);
    const untouched = await group(endpoint, "cachetest-sessions");
    expect((await tags(endpoint, untouched?.ARN ?? ""))["parity:environment"]).toBe("production");
  });

  it("deletes a protected group only with --allow-destroy", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + GROUPS + CACHE.replace("    tags:", "    protect: true\n    tags:"));
    await applyFile(file, endpoint);
    writeFileSync(file, HEAD + GROUPS);

    const refused = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(
      /refusing to touch a protected resource: caches\.sessions \(destroy\)/,
    );
    expect((await group(endpoint, "cachetest-sessions"))?.Status).toBe("available");

    const allowed = await parity(["apply", file, "--auto-approve", "--allow-destroy"], { endpoint });
    expect(allowed.stdout + allowed.stderr).toMatch(/caches\.sessions/);
    expect(allowed.code).toBe(0);
    // moto keeps a deleted group listed as `deleting` for good; AWS removes it minutes later.
    expect((await group(endpoint, "cachetest-sessions"))?.Status).toBe("deleting");
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });
});
