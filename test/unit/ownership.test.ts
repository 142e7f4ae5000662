import { describe, expect, it } from "vitest";
import type { EnvironmentInfo, Operation } from "../../src/engine/types.js";
import { claim } from "../../src/providers/aws/common/adoption.js";
import { owned } from "../../src/providers/aws/common/owned.js";
import { describeOwner, ownershipOf, ownershipTags } from "../../src/providers/aws/common/ownership.js";
import type { TagMap } from "../../src/providers/aws/common/ownership.js";
import { fakeType, node, observed } from "./fakes.js";

const KHORIUM: EnvironmentInfo = {
  environment: "staging",
  project: "khorium",
  region: "us-west-1",
  tags: {},
  secrets: {},
};
const tagged = (env: Partial<EnvironmentInfo>, address = "buckets.site") =>
  ownershipTags({ ...KHORIUM, ...env }, address);

describe("ownershipOf", () => {
  it("is ours only when environment, project and region all match", () => {
    expect(ownershipOf(tagged({}), KHORIUM)).toEqual({
      status: "ours",
      address: "buckets.site",
      protect: false,
    });
    for (const other of [{ project: "chatmrpt" }, { region: "us-east-2" }, { environment: "prod" }]) {
      expect(ownershipOf(tagged(other), KHORIUM).status).toBe("foreign");
    }
    // Absent is a value of its own: a project-less environment is not khorium's, nor the reverse.
    const { project: _p, ...unnamed } = KHORIUM;
    expect(ownershipOf(ownershipTags(unnamed, "buckets.site"), KHORIUM).status).toBe("foreign");
    expect(ownershipOf(tagged({}), unnamed).status).toBe("foreign");
    expect(ownershipOf(ownershipTags(unnamed, "buckets.site"), unnamed).status).toBe("ours");
  });

  it("tells a legacy resource by its missing region, and names other owners precisely", () => {
    const legacy = { "parity:environment": "staging", "parity:address": "buckets.site" };
    expect(ownershipOf(legacy, KHORIUM).status).toBe("legacy");
    expect(ownershipOf(legacy, { ...KHORIUM, environment: "prod" }).status).toBe("foreign");
    expect(describeOwner(tagged({ project: "chatmrpt" }))).toBe(
      'the parity environment "staging" of project "chatmrpt" in us-west-1',
    );
    expect(describeOwner(legacy)).toBe('the parity environment "staging"');
  });
});

describe("claim", () => {
  type Item = { name: string; tags: TagMap };
  const rules = (wanted: [string, string][]) => ({
    tagsOf: (i: Item) => i.tags,
    keyOf: (i: Item) => i.name,
    labelOf: (i: Item) => `bucket ${i.name}`,
    wanted: new Map(wanted),
    env: KHORIUM,
  });
  const legacy = (name: string, address: string): Item => ({
    name,
    tags: { "parity:environment": "staging", "parity:address": address },
  });

  it("takes a legacy resource only where the file names it at its address, and never one it does not name", () => {
    const items = [
      legacy("site", "buckets.site"),
      legacy("sibling", "buckets.site2"),
      legacy("moved", "buckets.a"),
    ];
    const claims = claim(
      items,
      rules([
        ["site", "buckets.site"],
        ["moved", "buckets.b"],
      ]),
    );
    expect(claims.map((c) => [c.item.name, c.claim])).toEqual([
      ["site", { address: "buckets.site", managed: true, protect: false, legacy: true }],
      [
        "moved",
        {
          address: "buckets.b",
          managed: false,
          protect: false,
          foreign: {
            what: "bucket moved",
            owner: 'the parity environment "staging" at buckets.a (tagged before projects and regions)',
          },
        },
      ],
    ]);
  });
});

describe("owned types", () => {
  const env = KHORIUM;
  function operation(protect: boolean, recorded: boolean): Operation {
    const attributes = {
      name: "a",
      tags: { team: "web" },
      protect: recorded,
      ownership: 'project "khorium", region "us-west-1"',
    };
    return {
      change: {
        address: "things.a",
        kind: "things",
        group: "things.a",
        action: "update",
        before: attributes,
        after: { ...attributes, protect },
        attributes: [],
        dependsOn: [],
        protected: protect,
        risks: [],
        notes: [],
      },
      node: { ...node("things.a", { name: "a" }), protect },
      desired: { name: "a", tags: { team: "web" }, protect, ownership: attributes.ownership },
      observed: observed("things.a", attributes, { protect: recorded }),
      env,
      facts: {},
      resolver: {
        group: () => [],
        output: () => "",
        interpolate: (text) => text,
        facts: {},
        env,
      },
      progress: () => {},
      signal: new AbortController().signal,
    };
  }

  it("writes the protection the file adds before any other change, and hides it from the kind", async () => {
    const log: string[] = [];
    const inner = fakeType("things", { log });
    const seen: Operation[] = [];
    const type = owned(
      { ...inner, update: (ctx, op) => (seen.push(op), inner.update(ctx, op)) },
      () => async (_ctx, id, tags) => {
        log.push(`tag ${id} ${JSON.stringify(tags)}`);
      },
    );
    await type.update(null, operation(true, false));
    expect(log).toEqual([
      'tag id-things.a {"parity:environment":"staging","parity:project":"khorium","parity:region":"us-west-1","parity:address":"things.a","parity:protect":"true"}',
      "update things.a",
    ]);
    expect(seen[0]?.desired).toEqual({ name: "a", tags: { team: "web" } });
    expect(seen[0]?.observed?.attributes).toMatchObject({ tags: { team: "web", "parity:protect": "true" } });
    expect(seen[0]?.observed?.attributes).not.toHaveProperty("protect");

    // Dropping `protect` from the file overwrites the recorded `true`; nothing to record, nothing written.
    log.length = 0;
    await type.update(null, operation(false, true));
    expect(log[0]).toContain('"parity:protect":"false"');
    log.length = 0;
    await type.update(null, operation(true, true));
    expect(log).toEqual(["update things.a"]);
  });
});
