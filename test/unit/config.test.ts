import { describe, expect, it } from "vitest";
import { loadEnvironment } from "../../src/config/index.js";
import { formatDiagnostic } from "../../src/model/index.js";
import { registered } from "../../src/cli/workflow.js";

/** Loads in-memory files: every test states its files and the exact messages it expects. */
function load(
  files: Record<string, string>,
  entry = "/env/staging.yaml",
  secrets: Record<string, string> = {},
) {
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
    return text;
  };
  return loadEnvironment(entry, { ...registered, read, secrets });
}

function messages(files: Record<string, string>, entry?: string): string[] {
  return load(files, entry).diagnostics.map(formatDiagnostic);
}

const HEAD = "environment: staging\nregion: us-west-1\n";

describe("config errors carry the exact position", () => {
  it("reports YAML syntax errors at the offending character", () => {
    expect(messages({ "/env/staging.yaml": HEAD + "securityGroups:\n  web: { name: x\n" })).toEqual([
      "/env/staging.yaml:5:1 Flow map in block collection must be sufficiently indented and end with a }",
    ]);
  });

  it("reports a wrong type with the range the schema allows", () => {
    const text =
      HEAD +
      "securityGroups:\n  web:\n    name: web\n    ingress:\n      - { port: seventy, cidr: 10.0.0.0/8 }\n";
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      "/env/staging.yaml:7:17 securityGroups.web.ingress[0].port: must be an integer 0-65535",
    ]);
  });

  it("reports an unknown key at the key, suggesting the likely one", () => {
    const text = HEAD + "securityGroups:\n  web:\n    name: web\n    descripton: hi\n";
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      '/env/staging.yaml:6:5 securityGroups.web.descripton: unknown key "descripton" (did you mean "description"?)',
    ]);
  });

  it("reports an unknown reference with the closest existing name", () => {
    const text =
      HEAD +
      "securityGroups:\n  alb:\n    name: alb\n  app:\n    name: app\n    ingress: [{ port: 80, source: securityGroups.abl }]\n";
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      "/env/staging.yaml:8:35 securityGroups.app.ingress[0].source: unknown reference securityGroups.abl (did you mean securityGroups.alb?)",
    ]);
  });

  it("reports a duplicate key as a duplicate name", () => {
    const text = HEAD + "securityGroups:\n  web:\n    name: a\n  web:\n    name: b\n";
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      "/env/staging.yaml:6:3 duplicate name: this key is already defined in the same map",
    ]);
  });

  it("reports two resources with the same AWS name", () => {
    const text = HEAD + "securityGroups:\n  a:\n    name: shared\n  b:\n    name: shared\n";
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      '/env/staging.yaml:7:11 securityGroups.b.name: duplicate name "shared": also used by securityGroups.a (each resource needs its own name)',
    ]);
  });

  it("reports a reference cycle at the reference that closes it", () => {
    const text =
      HEAD +
      'securityGroups:\n  a:\n    name: a\n    description: "${securityGroups.b.name}"\n  b:\n    name: b\n    description: "${securityGroups.a.name}"\n';
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      "/env/staging.yaml:6:18 securityGroups.a.description: reference cycle: securityGroups.a → securityGroups.b → securityGroups.a (break the cycle by removing one of these references)",
    ]);
  });

  it("reports an unknown interpolated attribute with the ones that exist", () => {
    const text = HEAD + 'securityGroups:\n  a:\n    name: a\n  b:\n    name: "${securityGroups.a.arn}"\n';
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      '/env/staging.yaml:7:11 securityGroups.b.name: securityGroups have no attribute "arn" (one of: id, name)',
    ]);
  });

  it("reports every problem at once, in file order", () => {
    const text = HEAD + "securityGroups:\n  a:\n    name: 5\n    bogus: true\n";
    expect(messages({ "/env/staging.yaml": text })).toHaveLength(2);
  });
});

describe("extends", () => {
  const base =
    "environment: base\nregion: us-west-1\ntags: { project: p, team: a }\nsecurityGroups:\n  web:\n    name: web\n    ingress: [{ port: 80, cidr: 0.0.0.0/0 }, { port: 443, cidr: 0.0.0.0/0 }]\n";

  it("deep-merges maps, replaces lists, and lets the file win", () => {
    const child =
      "extends: ./base.yaml\nenvironment: staging\ntags: { team: b }\nsecurityGroups:\n  web:\n    ingress: [{ port: 8080, cidr: 10.0.0.0/8 }]\n";
    const result = load({ "/env/base.yaml": base, "/env/staging.yaml": child });
    expect(result.diagnostics).toEqual([]);
    expect(result.environment?.environment).toBe("staging");
    expect(result.environment?.tags).toEqual({ project: "p", team: "b" });
    expect(result.environment?.nodes[0]?.spec).toEqual({
      name: "web",
      ingress: [{ port: 8080, cidr: "10.0.0.0/8" }],
    });
  });

  it("points errors in inherited values into the base file", () => {
    const badBase = base.replace("name: web", "name: 7");
    const child = "extends: ./base.yaml\nenvironment: staging\n";
    expect(messages({ "/env/base.yaml": badBase, "/env/staging.yaml": child })).toEqual([
      "/env/base.yaml:6:11 securityGroups.web.name: must be a security group name of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
    ]);
  });

  it("detects cycles", () => {
    const result = load({
      "/env/staging.yaml": "extends: ./base.yaml\nenvironment: staging\n",
      "/env/base.yaml": "extends: ./staging.yaml\nenvironment: base\n",
    });
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "extends cycle: /env/staging.yaml → /env/base.yaml → /env/staging.yaml",
    ]);
  });

  it("reports a missing base file at the extends line", () => {
    expect(
      messages({ "/env/staging.yaml": "environment: staging\nregion: us-west-1\nextends: ./nope.yaml\n" }),
    ).toEqual([
      "/env/staging.yaml:3:10 extends: ./nope.yaml not found (path is relative to /env/staging.yaml)",
    ]);
  });
});

describe("desired nodes", () => {
  it("records dependencies from references and keeps protect", () => {
    const text =
      HEAD +
      "securityGroups:\n  alb:\n    name: alb\n  app:\n    name: app\n    protect: true\n    ingress: [{ port: 80, source: securityGroups.alb }]\n" +
      "instances:\n  web: { type: t3.micro, image: ami-0123456789abcdef0, securityGroups: [securityGroups.app] }\n";
    const result = load({ "/env/staging.yaml": text });
    const app = result.environment?.nodes.find((n) => n.address === "securityGroups.app");
    const web = result.environment?.nodes.find((n) => n.address === "instances.web[0]");
    expect(web?.dependsOn).toEqual(["securityGroups.app"]);
    // A rule naming a group is authorised after both exist: no creation edge (see securityGroupCycles).
    expect(app?.dependsOn).toEqual([]);
    expect(app?.protect).toBe(true);
    expect(app?.location).toEqual({ file: "/env/staging.yaml", line: 6, column: 3 });
  });

  it("accepts groups whose rules name themselves or each other", () => {
    const text =
      HEAD +
      "securityGroups:\n  a:\n    name: a\n    ingress: [{ port: 80, source: securityGroups.b }, { port: 81, source: securityGroups.a }]\n" +
      "  b:\n    name: b\n    ingress: [{ port: 80, source: securityGroups.a }]\n";
    expect(messages({ "/env/staging.yaml": text })).toEqual([]);
  });

  it("still refuses a cycle of creation dependencies", () => {
    const text =
      HEAD +
      "buckets:\n  a: { name: cycle-a, copyFrom: buckets.b }\n  b: { name: cycle-b, copyFrom: buckets.a }\n";
    expect(messages({ "/env/staging.yaml": text })).toEqual([
      "/env/staging.yaml:4:33 buckets.a.copyFrom: reference cycle: buckets.a → buckets.b → buckets.a (break the cycle by removing one of these references)",
    ]);
  });

  it("requires a region from the file or the command line", () => {
    expect(messages({ "/env/staging.yaml": "environment: staging\n" })).toEqual([
      "/env/staging.yaml:1:1 region: no region: set `region:` in the file or pass --region",
    ]);
  });
});

describe("project", () => {
  it("is carried with the environment and region, for the lock and ownership", () => {
    const result = load({ "/env/staging.yaml": "project: khorium\n" + HEAD });
    expect(result.diagnostics).toEqual([]);
    expect(result.info).toMatchObject({ project: "khorium", environment: "staging", region: "us-west-1" });
    expect(result.environment?.project).toBe("khorium");
  });

  it("is optional", () => {
    const result = load({ "/env/staging.yaml": HEAD });
    expect(result.info && "project" in result.info).toBe(false);
    expect(result.environment && "project" in result.environment).toBe(false);
  });

  it("is a name of at most 64 letters, digits, _ and -", () => {
    expect(messages({ "/env/staging.yaml": "project: my project\n" + HEAD })).toEqual([
      "/env/staging.yaml:1:10 project: must be a project name of letters, digits, _ and -, at most 64 characters",
    ]);
    expect(messages({ "/env/staging.yaml": `project: p${"x".repeat(64)}\n` + HEAD })).toHaveLength(1);
    expect(messages({ "/env/staging.yaml": `project: p${"x".repeat(63)}\n` + HEAD })).toEqual([]);
  });
});
