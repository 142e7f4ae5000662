import { describe, expect, it } from "vitest";
import { Type } from "../../src/engine/schema.js";
import { buildExport, globMatches } from "../../src/engine/export.js";
import type { ExportSelection, Listed } from "../../src/engine/export.js";
import type { ExportItem, Exporter } from "../../src/engine/types.js";
import { deepMerge, withoutDefaults } from "../../src/engine/exportSpec.js";
import type { EnvironmentInfo, Kind } from "../../src/engine/types.js";
import { renderExportYaml } from "../../src/render/exportYaml.js";

const ENV: EnvironmentInfo = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };

const GroupSchema = Type.Object({
  name: Type.String(),
  protocol: Type.Optional(Type.String({ default: "tcp" })),
  health: Type.Optional(Type.Object({ path: Type.Optional(Type.String({ default: "/" })) })),
  peers: Type.Optional(Type.Array(Type.String())),
});

/** A kind of the test's own: entries that may name each other by id. */
const groups: Exporter<unknown> = {
  list: () => Promise.resolve([]),
  entry([item], { refs }) {
    const peers = (item!.attributes.peers as string[]).map((id) => refs.to(id));
    const omitted = peers.includes(undefined) ? ["a peer that is not exported"] : [];
    return {
      spec: {
        name: item!.name,
        protocol: item!.attributes.protocol ?? "tcp",
        health: { path: "/" },
        ...(peers.length === 0 || peers.includes(undefined)
          ? {}
          : { peers: peers.filter((p): p is string => !!p) }),
      },
      omitted,
    };
  },
  keyNoise: ["grp"],
};

function kind(key: string, shape: "map" | "single", schema = GroupSchema): Kind<unknown> {
  return { key, shape, schema, outputs: ["id", "name", "dnsName"], expand: () => [], types: [] };
}

function item(name: string, id: string, peers: string[] = [], extra: Partial<ExportItem> = {}): ExportItem {
  return { name, id, tags: {}, outputs: { id, name }, attributes: { peers, protocol: "tcp" }, ...extra };
}

const GROUPS = kind("groups", "map");

function run(items: ExportItem[], selection: Partial<ExportSelection>) {
  const listed: Listed<unknown>[] = [{ kind: GROUPS, type: "groups", exporter: groups, items }];
  return buildExport({
    listed,
    kinds: [GROUPS],
    selection: { select: [], tags: [], follow: false, ...selection },
    env: ENV,
    facts: {},
    options: {},
  });
}

describe("export's engine part", () => {
  it("globs names the way a shell does", () => {
    expect(globMatches("webdev-*-stg", "webdev-alb-stg")).toBe(true);
    expect(globMatches("webdev-?lb-stg", "webdev-alb-stg")).toBe(true);
    expect(globMatches("webdev-*", "khorium-webdev-alb")).toBe(false);
    expect(globMatches("a.b", "aXb")).toBe(false);
  });

  it("leaves out AWS's defaults and the maps they empty, keeping what differs", () => {
    expect(withoutDefaults({ name: "x", protocol: "tcp", health: { path: "/" } }, GroupSchema)).toEqual({
      name: "x",
    });
    expect(withoutDefaults({ name: "x", protocol: "udp", health: { path: "/h" } }, GroupSchema)).toEqual({
      name: "x",
      protocol: "udp",
      health: { path: "/h" },
    });
  });

  it("merges parts of one block, refusing two values for one key", () => {
    expect(deepMerge({ path: "/a/", values: { A: "1" } }, { path: "/a/", values: { B: "2" } })).toEqual({
      path: "/a/",
      values: { A: "1", B: "2" },
    });
    expect(deepMerge({ path: "/a/" }, { path: "/b/" })).toBeUndefined();
  });

  it("turns ids into addresses, follows them with --follow, and says what it could not write", () => {
    const items = [
      item("shop-staging-app-grp", "g-1", ["g-2"]),
      item("shop-staging-alb-grp", "g-2"),
      item("other", "g-3"),
    ];
    const alone = run(items, { select: [{ kind: "groups", pattern: "*-app-*" }] });
    expect(alone.document.groups).toEqual({ shopApp: { name: "shop-staging-app-grp" } });
    expect(alone.omitted).toEqual([{ address: "groups.shopApp", what: "a peer that is not exported" }]);

    const followed = run(items, { select: [{ kind: "groups", pattern: "*-app-*" }], follow: true });
    expect(followed.document.groups).toEqual({
      alb: { name: "shop-staging-alb-grp" },
      app: { name: "shop-staging-app-grp", peers: ["groups.alb"] },
    });
    expect(followed.omitted).toEqual([]);
  });

  it("selects a managed environment by its recorded addresses, and keeps their keys", () => {
    const result = run(
      [item("shop-staging-web-grp", "g-1", [], { address: "groups.web" }), item("loose", "g-2")],
      {},
    );
    expect(result.document).toEqual({
      environment: "staging",
      region: "us-west-1",
      groups: { web: { name: "shop-staging-web-grp" } },
    });
  });

  it("writes what it left out as a comment before the entry", () => {
    const result = run([item("solo-grp", "g-1", ["g-9"])], { select: [{ kind: "groups", pattern: "*" }] });
    const yaml = renderExportYaml(result, ["Exported by parity"]);
    expect(yaml).toBe(
      [
        "# Exported by parity",
        "",
        "environment: staging",
        "region: us-west-1",
        "groups:",
        "  # groups.solo: parity cannot express: a peer that is not exported",
        "  solo:",
        "    name: solo-grp",
        "",
      ].join("\n"),
    );
  });
});
