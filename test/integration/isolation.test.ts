import { CreateHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { describe, expect, it } from "vitest";
import { applySession } from "../../src/cli/workflow.js";
import { seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";
import { seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { actions, planFile, useMoto, writeEnvironment } from "../support/harness.js";
import { takeInventory } from "../support/inventory.js";
import type { Inventory } from "../support/inventory.js";
import { stageExample } from "../support/stage.js";

const { emulator } = useMoto();
const SECRETS = { STAGING_DATABASE_URL: "postgres://khorium:s3cr3t@db:5432/khorium" };

/**
 * Resources of `before` of which `after` has fewer: what a run deleted of what was there. (An
 * update or a replacement of another owner's resource shows as that owner's re-plan not being clean.)
 */
function lost(before: Inventory, after: Inventory): string[] {
  return [...before].filter(([key, count]) => (after.get(key) ?? 0) < count).map(([key]) => key);
}

/** Plans and applies a file (destroying what its plan destroys when `allowDestroy`); fails on any failure. */
async function converge(file: string, endpoint: string, allowDestroy = false): Promise<string[]> {
  const session = await planFile(file, endpoint, SECRETS);
  try {
    const planned = actions(session.plan);
    const result = await applySession(session, { allowDestroy });
    expect(result.failed).toEqual([]);
    return planned;
  } finally {
    session.ctx.destroy();
  }
}

async function replan(file: string, endpoint: string): Promise<string[]> {
  const session = await planFile(file, endpoint, SECRETS);
  session.ctx.destroy();
  return actions(session.plan);
}

describe("two projects' environments of one name in one account", () => {
  it("apply khorium then chatmrpt, both named staging: neither plans, changes or deletes the other's", async () => {
    const endpoint = emulator().endpoint;
    const khorium = stageExample("khorium", "staging.yaml", await seedKhorium(endpoint, "us-west-1"));
    await converge(khorium, endpoint, true);
    const afterKhorium = await takeInventory(endpoint);

    const chatmrpt = stageExample("chatmrpt", "staging.yaml", await seedChatmrpt(endpoint, "us-west-1"));
    const planned = await converge(chatmrpt, endpoint, true);
    // Nothing of khorium's shows in chatmrpt's plan: no deletion, no replacement, no update.
    expect(planned.filter((a) => a.startsWith("delete "))).toEqual([]);
    // chatmrpt has kinds of its own khorium also has (appEnv): none of khorium's keys may show.
    expect(planned.filter((a) => /(distributions|buckets|databases|dns)\./.test(a))).toEqual([]);
    expect(
      planned.filter((a) => /appEnv\.values\.(CORS_ORIGINS|S3_BUCKET_NAME|DATABASE_URL)/.test(a)),
    ).toEqual([]);

    expect(await replan(khorium, endpoint)).toEqual([]);
    expect(await replan(chatmrpt, endpoint)).toEqual([]);
    // Resources touched that belonged to another owner: none.
    expect(lost(afterKhorium, await takeInventory(endpoint))).toEqual([]);
  });
});

const ZONE = "isolation.example";

/** One environment with regional and global kinds: a group, a parameter, a bucket, a distribution, a record. */
function regional(region: string): string {
  return `environment: staging
project: iso
region: ${region}
securityGroups:
  web: { name: iso-web-sg, ingress: [{ port: 443, cidr: 0.0.0.0/0 }] }
buckets:
  site: { name: iso-site-${region} }
distributions:
  site:
    origins: { web: { domain: web-${region}.example.org, protocol: http-only } }
    defaultBehavior: { origin: web, viewerProtocol: redirect-to-https }
appEnv:
  path: /iso/staging/
  values: { REGION: ${region} }
dns:
  zone: ${ZONE}
  records:
    - { name: ${region}.${ZONE}, type: A, alias: distributions.site }
`;
}

describe("one environment name and project in two regions", () => {
  it("never plans the other region's resources, global ones included", async () => {
    const endpoint = emulator().endpoint;
    await new Route53Client({ region: "us-east-1", endpoint }).send(
      new CreateHostedZoneCommand({ Name: ZONE, CallerReference: "isolation" }),
    );
    const west = writeEnvironment(regional("us-west-1"));
    const east = writeEnvironment(regional("us-east-2"));
    await converge(west, endpoint);
    const westBefore = await takeInventory(endpoint, "us-west-1");

    // Everything of the east file is its own: created, never adopted, updated or deleted from the west.
    const planned = await converge(east, endpoint, true);
    expect(planned.every((a) => a.startsWith("create "))).toBe(true);
    expect(await replan(west, endpoint)).toEqual([]);
    expect(await replan(east, endpoint)).toEqual([]);
    expect(lost(westBefore, await takeInventory(endpoint, "us-west-1"))).toEqual([]);

    // The west file emptied and applied with --allow-destroy deletes only the west's, its DNS record
    // too (found through the zone it recorded writing to), never the east's record in the same zone.
    const eastBefore = await takeInventory(endpoint, "us-east-2");
    const emptied = writeEnvironment("environment: staging\nproject: iso\nregion: us-west-1\n");
    const deleted = await converge(emptied, endpoint, true);
    expect(deleted.sort()).toEqual(
      [
        "delete appEnv.values.REGION",
        "delete buckets.site",
        "delete distributions.site",
        "delete dns.records[us-west-1.isolation.example/A]",
        "delete securityGroups.web",
      ].sort(),
    );
    expect(await replan(east, endpoint)).toEqual([]);
    // Of what the east region sees (its own, and every global resource), only the west's went.
    const gone = lost(eastBefore, await takeInventory(endpoint, "us-east-2"));
    expect(gone.filter((key) => !/us-west-1|^distribution /.test(key))).toEqual([]);
    // The west's bucket, distribution, DNS record and that record's owner TXT.
    expect(gone).toHaveLength(4);
  });
});
