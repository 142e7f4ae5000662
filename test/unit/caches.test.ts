import type { CacheCluster, ReplicationGroup } from "@aws-sdk/client-elasticache";
import { describe, expect, it } from "vitest";
import { registered, wiringFindings } from "../../src/cli/workflow.js";
import { loadEnvironment } from "../../src/config/index.js";
import { computePlan } from "../../src/engine/plan.js";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../src/model/index.js";
import { formatDiagnostic } from "../../src/model/index.js";
import { cacheType } from "../../src/providers/aws/caches/index.js";
import { modification } from "../../src/providers/aws/caches/lifecycle.js";
import { observedCache, primaryMember } from "../../src/providers/aws/caches/observe.js";
import { cacheHosts, endpointOf } from "../../src/providers/aws/caches/wiring.js";

const env: EnvironmentInfo = {
  environment: "staging",
  region: "us-west-1",
  tags: { project: "c" },
  secrets: {},
};

const GROUP: ReplicationGroup = {
  ReplicationGroupId: "chatmrpt-redis-staging",
  Status: "available",
  MemberClusters: ["chatmrpt-redis-staging-001", "chatmrpt-redis-staging-002"],
  NodeGroups: [
    {
      NodeGroupId: "0001",
      PrimaryEndpoint: { Address: "master.chatmrpt-redis-staging.abc.usw1.cache.amazonaws.com", Port: 6379 },
      NodeGroupMembers: [
        { CacheClusterId: "chatmrpt-redis-staging-002", CurrentRole: "replica" },
        { CacheClusterId: "chatmrpt-redis-staging-001", CurrentRole: "primary" },
      ],
    },
  ],
  CacheNodeType: "cache.t3.micro",
  AtRestEncryptionEnabled: true,
  SnapshotRetentionLimit: 0,
  Engine: "redis",
  ARN: "arn:aws:elasticache:us-west-1:123456789012:replicationgroup:chatmrpt-redis-staging",
};

const PRIMARY: CacheCluster = {
  CacheClusterId: "chatmrpt-redis-staging-001",
  EngineVersion: "7.1.0",
  CacheParameterGroup: { CacheParameterGroupName: "default.redis7" },
  SecurityGroups: [
    { SecurityGroupId: "sg-b", Status: "active" },
    { SecurityGroupId: "sg-a", Status: "active" },
    { SecurityGroupId: "sg-gone", Status: "revoking" },
  ],
};

const TAGS = { "parity:environment": "staging", "parity:address": "caches.sessions", project: "c" };

function node(spec: { [key: string]: Value }): DesiredNode {
  return {
    address: "caches.sessions",
    type: "caches",
    group: "caches.sessions",
    spec: { id: "Chatmrpt-Redis-Staging", nodeType: "cache.t3.micro", ...spec },
    dependsOn: [],
    protect: false,
  };
}

function live(member: CacheCluster | undefined, group: Partial<ReplicationGroup> = {}): ObservedNode {
  return observedCache({ ...GROUP, ...group }, member, TAGS, {
    address: "caches.sessions",
    managed: true,
    protect: false,
  });
}

function plan(spec: { [key: string]: Value }, observed: ObservedNode[]) {
  return computePlan({
    env,
    nodes: [node(spec)],
    observed,
    facts: {},
    types: new Map([["caches", cacheType]]),
  }).plan;
}

describe("cache normalisation", () => {
  it("reads a group and its primary's settings as comparable attributes, AWS's defaults filled in", () => {
    expect(primaryMember(GROUP, new Map([[PRIMARY.CacheClusterId ?? "", PRIMARY]]))).toBe(PRIMARY);
    const observed = live(PRIMARY);
    expect(observed.attributes).toEqual({
      id: "chatmrpt-redis-staging",
      engine: "redis",
      nodeType: "cache.t3.micro",
      replicas: 1,
      port: 6379,
      atRestEncryption: true,
      transitEncryption: false,
      snapshotRetentionDays: 0,
      tags: TAGS,
      engineVersion: "7.1.0",
      parameterGroup: "default.redis7",
      subnetGroup: "default",
      securityGroups: ["sg-a", "sg-b"],
    });
    expect(observed.outputs).toEqual({
      id: "chatmrpt-redis-staging",
      endpoint: "master.chatmrpt-redis-staging.abc.usw1.cache.amazonaws.com",
      port: 6379,
      arn: GROUP.ARN,
    });
  });

  it("plans no change when the file matches, versions compared as precisely as the file pins them", () => {
    const spec = {
      engineVersion: "7.1",
      replicas: 1,
      atRestEncryption: true,
      parameterGroup: "default.redis7",
      securityGroups: ["sg-b", "sg-a"],
      tags: {},
    };
    expect(plan(spec, [live(PRIMARY)]).changes.map((c) => c.action)).toEqual(["no-op"]);
  });

  it("compares every managed setting with its default, and names what forces a replacement", () => {
    const drift = plan({ atRestEncryption: true }, [live(PRIMARY, { SnapshotRetentionLimit: 5 })]).changes[0];
    expect(drift?.action).toBe("update");
    expect(drift?.attributes.map((a) => [a.path, a.before, a.after])).toEqual([
      ["replicas", 1, 0],
      ["snapshotRetentionDays", 5, 0],
    ]);
    const replace = plan({ replicas: 1 }, [live(PRIMARY)]).changes[0];
    expect(replace?.action).toBe("replace");
    expect(replace?.attributes.filter((a) => a.forcesReplacement).map((a) => a.path)).toEqual([
      "atRestEncryption",
    ]);
    expect(replace?.risks).toEqual(["data-loss", "downtime"]);
  });

  it("leaves member settings out where the members cannot be read, rather than planning a change nobody can converge", () => {
    const spec = { engineVersion: "7.1", replicas: 1, atRestEncryption: true, subnetGroup: "cache-subnets" };
    expect(plan(spec, [live(undefined)]).changes.map((c) => c.action)).toEqual(["no-op"]);
    expect(plan(spec, [live(PRIMARY)]).changes.map((c) => c.action)).toEqual(["replace"]);
  });

  it("modifies only what ModifyReplicationGroup changes, with the replica count apart", () => {
    const current = live(PRIMARY).attributes;
    const change = modification(
      { ...current, nodeType: "cache.t3.small", replicas: 2, tags: { team: "x" }, securityGroups: ["sg-c"] },
      current,
    );
    expect(change).toEqual({
      message: { ApplyImmediately: true, CacheNodeType: "cache.t3.small", SecurityGroupIds: ["sg-c"] },
      paths: ["nodeType", "securityGroups"],
      replicas: 2,
    });
  });
});

describe("cache endpoints in values", () => {
  it("finds endpoints written literally and tells whose they are by the group id's label", () => {
    const hosts = cacheHosts("redis://master.chatmrpt-redis.abc.usw1.cache.amazonaws.com:6379/0");
    expect(hosts).toEqual(["master.chatmrpt-redis.abc.usw1.cache.amazonaws.com"]);
    expect(endpointOf(hosts[0] ?? "", ["chatmrpt-redis-staging"])).toBeUndefined();
    expect(
      endpointOf("chatmrpt-redis-staging.abc.ng.0001.usw1.cache.amazonaws.com", ["chatmrpt-redis-staging"]),
    ).toBe("chatmrpt-redis-staging");
  });
});

const FILE = "/env/staging.yaml";

function findings(yaml: string): string[] {
  const result = loadEnvironment(FILE, {
    ...registered,
    read: () => `environment: staging\nregion: us-west-1\n${yaml}`,
    secrets: {},
  });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  const loaded = result.environment;
  if (!loaded || !result.info) throw new Error("not loaded");
  const { document, locations, ...environment } = loaded;
  return wiringFindings({ environment, info: result.info, text: { document, locations } }, {}).map(
    formatDiagnostic,
  );
}

const WIRED = `securityGroups:
  app: { name: app, ingress: [{ port: 8080, cidr: 10.0.0.0/16 }] }
  cache: { name: cache, ingress: [{ port: 6379, source: securityGroups.app }] }
instances:
  web: { count: 1, type: t3.micro, image: ami-0123456789abcdef0, securityGroups: [securityGroups.app] }
caches:
  sessions: { id: chatmrpt-redis-staging, nodeType: cache.t3.micro, securityGroups: [securityGroups.cache] }
`;

describe("cache wiring", () => {
  it("is quiet when the app's group reaches its own cache through an interpolated endpoint", () => {
    expect(
      findings(`${WIRED}appEnv:
  path: /chatmrpt/staging/
  values:
    REDIS_URL: "redis://\${caches.sessions.endpoint}:\${caches.sessions.port}"
`),
    ).toEqual([]);
  });

  it("warns, at the value, about another environment's endpoint written in the app env", () => {
    expect(
      findings(`${WIRED}appEnv:
  path: /chatmrpt/staging/
  values:
    REDIS_URL: redis://master.chatmrpt-redis.abc.usw1.cache.amazonaws.com:6379
`),
    ).toEqual([
      expect.stringMatching(
        /^\/env\/staging\.yaml:13:16 .*REDIS_URL points at the cache master\.chatmrpt-redis\.abc\.usw1\.cache\.amazonaws\.com, which is not one of this environment's \(caches\.sessions\)/,
      ),
    ]);
  });

  it("warns, at the cache's security groups, when they do not admit the instances' group on the cache's port", () => {
    const closed = WIRED.replace(
      "{ port: 6379, source: securityGroups.app }",
      "{ port: 6380, source: securityGroups.app }",
    );
    expect(findings(closed)).toEqual([
      expect.stringMatching(
        /^\/env\/staging\.yaml:9:85 .*instances\.web cannot reach caches\.sessions on port 6379: no rule in securityGroups\.cache admits securityGroups\.app/,
      ),
    ]);
  });
});
