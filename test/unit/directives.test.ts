import { describe, expect, it } from "vitest";
import { loadEnvironment } from "../../src/config/index.js";
import { keepIgnored } from "../../src/engine/ignore.js";
import { movedAddress } from "../../src/engine/moves.js";
import { formatDiagnostic } from "../../src/model/index.js";
import { registered } from "../../src/cli/workflow.js";

const FILE = "/env/staging.yaml";

function load(text: string) {
  const read = (path: string) => {
    if (path !== FILE) throw Object.assign(new Error("missing"), { code: "ENOENT" });
    return text;
  };
  return loadEnvironment(FILE, { ...registered, read, secrets: {} });
}

const messages = (text: string) => load(text).diagnostics.map(formatDiagnostic);

const HEAD = `environment: staging
region: us-west-1
targetGroups:
  app: { name: app-tg, port: 8080, healthCheck: { path: /health } }
  api: { name: api-tg, port: 8081, healthCheck: { path: /health } }
`;

describe("moved entries", () => {
  it("are read with their lines and reach the environment", () => {
    const { environment } = load(`${HEAD}moved:\n  - { from: targetGroups.web, to: targetGroups.app }\n`);
    expect(environment?.moves).toEqual([
      { from: "targetGroups.web", to: "targetGroups.app", location: { file: FILE, line: 7, column: 5 } },
    ]);
  });

  it("refuse what the file alone shows wrong, each at its line", () => {
    const moved = [
      "  - { from: targetGroups.app, to: targetGroups.api }",
      "  - { from: targetGrups.a, to: targetGroups.b }",
      "  - { from: targetGroups.c, to: instances.c }",
      "  - { from: targetGroups.d, to: targetGroups.d }",
      "  - { from: targetGroups.e, to: targetGroups.app }",
      "  - { from: targetGroups.f, to: targetGroups.app }",
    ].join("\n");
    expect(messages(`${HEAD}moved:\n${moved}\n`)).toEqual([
      `${FILE}:7:13 moved[0].from: targetGroups.app is still in the file (rename its key to the one in \`to\`, or remove this entry)`,
      `${FILE}:8:13 moved[1].from: unknown kind "targetGrups" in targetGrups.a (did you mean targetGroups?)`,
      `${FILE}:9:33 moved[2].to: cannot move targetGroups to instances: a move keeps its kind`,
      `${FILE}:10:33 moved[3].to: moves targetGroups.d onto itself (remove this entry)`,
      `${FILE}:12:33 moved[5].to: targetGroups.app is the target of two moves (targetGroups.e and targetGroups.f) (keep one of them)`,
    ]);
  });

  it("refuse a chain and a cycle, naming the whole path", () => {
    const chain = `${HEAD}moved:\n  - { from: targetGroups.x, to: targetGroups.y }\n  - { from: targetGroups.y, to: targetGroups.app }\n`;
    expect(messages(chain)).toEqual([
      `${FILE}:7:33 moved[0].to: moved chain: targetGroups.x → targetGroups.y → targetGroups.app (write one move, from targetGroups.x to targetGroups.app)`,
    ]);
    const cycle = `${HEAD}moved:\n  - { from: targetGroups.x, to: targetGroups.y }\n  - { from: targetGroups.y, to: targetGroups.x }\n`;
    expect(messages(cycle)).toEqual([
      `${FILE}:7:33 moved[0].to: moved cycle: targetGroups.x → targetGroups.y → targetGroups.x (remove one of these entries)`,
    ]);
  });

  it("move an address and everything under it, and nothing that only shares a prefix", () => {
    const moves = [{ from: "instances.web", to: "instances.app" }];
    expect(movedAddress("instances.web", moves)).toBe("instances.app");
    expect(movedAddress("instances.web[1]", moves)).toBe("instances.app[1]");
    expect(movedAddress("instances.web.image", moves)).toBe("instances.app.image");
    expect(movedAddress("instances.webby[0]", moves)).toBeUndefined();
  });
});

describe("ignoreChanges and dependsOn", () => {
  it("check ignored paths against the kind's schema and refuse directives", () => {
    const text = HEAD.replace(
      "healthCheck: { path: /health } }\n  api",
      "healthCheck: { path: /health }, ignoreChanges: [tags.owner, healthCheck.path, prot, protect, port.x] }\n  api",
    );
    expect(messages(text)).toEqual([
      `${FILE}:4:114 targetGroups.app.ignoreChanges[2]: unknown attribute "prot" (did you mean "port"?)`,
      `${FILE}:4:120 targetGroups.app.ignoreChanges[3]: "protect" is an instruction to parity, not an attribute of the resource`,
      `${FILE}:4:129 targetGroups.app.ignoreChanges[4]: "port" has no attributes to name inside it`,
    ]);
  });

  it("give every node of the entry the order and the ignored paths, nested ones under their place", () => {
    const { environment } = load(`environment: staging
region: us-west-1
targetGroups:
  app: { name: app-tg, port: 8080, healthCheck: { path: /health } }
loadBalancers:
  web:
    name: web-alb
    dependsOn: [targetGroups.app]
    ignoreChanges: [idleTimeoutSeconds, "listeners[].certificate"]
    listeners: [{ port: 80, protocol: HTTP, forward: targetGroups.app }]
`);
    const nodes = environment?.nodes.filter((n) => n.group.startsWith("loadBalancers")) ?? [];
    expect(nodes.map((n) => [n.address, n.dependsOn, n.ignoreChanges])).toEqual([
      ["loadBalancers.web", ["targetGroups.app"], ["idleTimeoutSeconds", "listeners[].certificate"]],
      ["loadBalancers.web.listeners[80]", ["loadBalancers.web", "targetGroups.app"], ["certificate"]],
    ]);
  });

  it("keep the live value of an ignored path in what an update sends", () => {
    const desired = { tags: { owner: "platform", team: "web" }, healthCheck: { path: "/health" }, port: 80 };
    const live = { tags: { team: "ops" }, healthCheck: { path: "/ready" }, port: 81 };
    expect(keepIgnored(desired, live, ["tags.owner", "healthCheck.path"])).toEqual({
      tags: { team: "web" },
      healthCheck: { path: "/ready" },
      port: 80,
    });
    expect(keepIgnored(desired, live, [""])).toEqual(live);
  });
});
