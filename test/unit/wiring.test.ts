import { describe, expect, it } from "vitest";
import { kinds, registered, wiringFindings } from "../../src/cli/workflow.js";
import { expandDocument, loadEnvironment } from "../../src/config/index.js";
import { parseLocated } from "../../src/config/yaml.js";
import { checkWiring, covers } from "../../src/engine/wiring.js";
import type { CertificateNames } from "../../src/engine/wiring.js";
import { formatDiagnostic } from "../../src/model/index.js";
import { certificateNamesFromFacts as factCertificateNames } from "../../src/providers/aws/common/certificates.js";

const FILE = "/env/staging.yaml";
const HEAD = "environment: staging\nregion: us-west-1\n";
const INFO = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };

/** Loads through the real config layer (schema, references), for kinds already registered. */
function viaConfig(yaml: string, strict = false): string[] {
  const result = loadEnvironment(FILE, {
    ...registered,
    read: (path) => {
      if (path !== FILE) throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return HEAD + yaml;
    },
    secrets: {},
  });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  const env = result.environment;
  if (!env || !result.info) throw new Error("not loaded");
  const { document, locations, ...environment } = env;
  return wiringFindings({ environment, info: result.info, text: { document, locations } }, { strict }).map(
    formatDiagnostic,
  );
}

/** Parses and expands only (positions, no schema), so a test states just the wiring it is about, not a whole valid file. */
function viaDocument(yaml: string, certificates?: CertificateNames): string[] {
  const { value, locations, diagnostics } = parseLocated(HEAD + yaml, FILE);
  expect(diagnostics).toEqual([]);
  const nodes = expandDocument(value, locations, kinds as never[], INFO);
  const rules = kinds.flatMap((k) => k.wiring ?? []);
  return checkWiring({
    nodes,
    rules,
    region: INFO.region,
    locations,
    ...(certificates ? { certificates } : {}),
  }).map(formatDiagnostic);
}

describe("covers: certificate names", () => {
  it.each([
    ["*.khorium.ai", "staging.khorium.ai", true],
    ["*.khorium.ai", "STAGING.khorium.ai.", true],
    ["*.khorium.ai", "khorium.ai", false],
    ["*.khorium.ai", "a.b.khorium.ai", false],
    ["*.khorium.ai", "stagingkhorium.ai", false],
    ["khorium.ai", "khorium.ai", true],
    ["app.khorium.ai", "api.khorium.ai", false],
  ])("%s covers %s: %s", (cert, host, expected) => {
    expect(covers(cert, host)).toBe(expected);
  });
});

describe("SSH is not open to the world", () => {
  const sg = (ingress: string) =>
    `securityGroups:\n  app:\n    name: app\n    ingress:\n      - ${ingress}\n`;

  it("finds port 22 open to 0.0.0.0/0, at the rule's CIDR", () => {
    expect(viaConfig(sg("{ port: 22, cidr: 0.0.0.0/0 }"))).toEqual([
      "/env/staging.yaml:7:27 securityGroups.app.ingress[0].cidr: warning: SSH (port 22) is open to the world (0.0.0.0/0) (allow only the addresses that need it, e.g. cidr: 203.0.113.10/32)",
    ]);
  });

  it("finds a port range or an all-protocols rule that includes 22", () => {
    expect(viaConfig(sg("{ port: 0, toPort: 1024, cidr: 0.0.0.0/0 }"))).toHaveLength(1);
    expect(viaConfig(sg("{ port: 0, protocol: all, cidr: 0.0.0.0/0 }"))).toHaveLength(1);
  });

  it("is an error with --strict", () => {
    expect(viaConfig(sg("{ port: 22, cidr: 0.0.0.0/0 }"), true)[0]).toMatch(
      /^\/env\/staging.yaml:7:27 securityGroups.app.ingress\[0\].cidr: SSH/,
    );
  });

  it("accepts SSH from one address, and other ports open to the world", () => {
    expect(viaConfig(sg("{ port: 22, cidr: 203.0.113.10/32 }"))).toEqual([]);
    expect(viaConfig(sg("{ port: 443, cidr: 0.0.0.0/0 }"))).toEqual([]);
    expect(viaConfig(sg("{ port: 22, protocol: udp, cidr: 0.0.0.0/0 }"))).toEqual([]);
  });
});

describe("a database is not publicly accessible", () => {
  const db = (extra: string) =>
    `databases:\n  main:\n    identifier: app-db\n    engine: postgres\n    class: db.t3.micro\n${extra}`;

  it("finds publiclyAccessible: true", () => {
    expect(viaConfig(db("    publiclyAccessible: true\n"))).toEqual([
      "/env/staging.yaml:8:25 databases.main.publiclyAccessible: warning: databases.main is publicly accessible (set publiclyAccessible: false and admit the app's security group instead)",
    ]);
  });

  it("accepts a private database", () => {
    expect(viaConfig(db("    publiclyAccessible: false\n"))).toEqual([]);
    expect(viaConfig(db(""))).toEqual([]);
  });
});

describe("every target group has a health-check path", () => {
  it("finds a target group without one, at its key", () => {
    expect(viaConfig("targetGroups:\n  web:\n    name: web-tg\n    port: 8080\n")).toEqual([
      '/env/staging.yaml:4:3 targetGroups.web: warning: targetGroups.web has no health-check path, so AWS probes "/" (set healthCheck: { path: /health } to the app\'s health endpoint)',
    ]);
    expect(
      viaConfig(
        "targetGroups:\n  web:\n    name: web-tg\n    port: 8080\n    healthCheck: { intervalSeconds: 30 }\n",
      ),
    ).toHaveLength(1);
  });

  it("accepts one with a path", () => {
    expect(
      viaConfig(
        "targetGroups:\n  web:\n    name: web-tg\n    port: 8080\n    healthCheck: { path: /health }\n",
      ),
    ).toEqual([]);
  });
});

describe("the load balancer can reach its targets' port", () => {
  const wiring = (appIngress: string) => `
securityGroups:
  alb:
    name: alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }]
  app:
    name: app
    ingress: [${appIngress}]
instances:
  web:
    count: 2
    type: t3.micro
    image: ami-0123456789abcdef0
    securityGroups: [securityGroups.app]
targetGroups:
  web:
    name: web-tg
    port: 8080
    healthCheck: { path: /health }
    targets: instances.web
loadBalancers:
  web:
    name: web-alb
    securityGroups: [securityGroups.alb]
    listeners:
      - { port: 80, protocol: HTTP, forward: targetGroups.web }
`;

  it("finds targets whose groups admit the load balancer on another port, or not at all", () => {
    const expected = [
      "/env/staging.yaml:10:14 securityGroups.app.ingress: warning: loadBalancers.web cannot reach instances.web on port 8080 (targetGroups.web): no rule in securityGroups.app admits securityGroups.alb (add { port: 8080, source: securityGroups.alb } to securityGroups.app.ingress)",
    ];
    expect(viaConfig(wiring("{ port: 80, source: securityGroups.alb }"))).toEqual(expected);
    expect(viaConfig(wiring("{ port: 8080, cidr: 10.0.0.0/8 }"))).toEqual(expected);
  });

  it("accepts the load balancer's group on the port, a range that covers it, or the whole world", () => {
    expect(viaConfig(wiring("{ port: 8080, source: securityGroups.alb }"))).toEqual([]);
    expect(viaConfig(wiring("{ port: 8000, toPort: 8999, source: securityGroups.alb }"))).toEqual([]);
    expect(viaConfig(wiring("{ port: 8080, cidr: 0.0.0.0/0 }"))).toEqual([]);
  });
});

describe("every listener's port is admitted by its load balancer's security group", () => {
  const wiring = (albIngress: string) => `
securityGroups:
  alb:
    name: alb
    ingress: [${albIngress}]
loadBalancers:
  web:
    name: web-alb
    securityGroups: [securityGroups.alb]
    listeners:
      - { port: 80, protocol: HTTP, redirect: { protocol: HTTPS, port: 443 } }
      - { port: 443, protocol: HTTPS, certificate: "arn:aws:acm:us-west-1:123456789012:certificate/x", redirect: { protocol: HTTP, port: 80 } }
`;

  it("finds the khorium 443 listener behind a group that admits only 80, at its port", () => {
    expect(viaConfig(wiring("{ port: 80, cidr: 0.0.0.0/0 }"))).toEqual([
      "/env/staging.yaml:14:17 loadBalancers.web.listeners[1].port: warning: the listener on port 443 is unreachable: no rule in securityGroups.alb admits port 443 (add { port: 443, cidr: 0.0.0.0/0 } to securityGroups.alb.ingress)",
    ]);
  });

  it("accepts a port admitted from anywhere, by a range, or by every protocol", () => {
    expect(viaConfig(wiring("{ port: 80, cidr: 0.0.0.0/0 }, { port: 443, cidr: 10.0.0.0/8 }"))).toEqual([]);
    expect(viaConfig(wiring("{ port: 80, toPort: 443, cidr: 0.0.0.0/0 }"))).toEqual([]);
    expect(viaConfig(wiring("{ port: 0, protocol: all, cidr: 10.0.0.0/8 }"))).toEqual([]);
  });
});

const SITE = `
distributions:
  site:
    aliases: [staging.khorium.ai]
    certificate: { domain: "*.khorium.ai" }
dns:
  zone: khorium.ai
  records:
    - { name: app.khorium.ai, type: A, alias: distributions.site }
`;

describe("the certificate covers every name served through it", () => {
  it("accepts aliases and DNS names inside the wildcard", () => {
    expect(viaDocument(SITE)).toEqual([]);
  });

  it("finds a distribution alias the certificate does not cover, at the alias", () => {
    expect(viaDocument(SITE.replace("[staging.khorium.ai]", "[staging.khorium.ai, khorium.ai]"))).toEqual([
      "/env/staging.yaml:6:35 distributions.site.aliases[1]: warning: khorium.ai is not covered by the certificate of distributions.site (*.khorium.ai) (browsers will refuse https://khorium.ai: use a certificate for khorium.ai or for *.ai)",
    ]);
  });

  it("finds a DNS name aliasing the distribution that its certificate does not cover", () => {
    expect(viaDocument(SITE.replace("name: app.khorium.ai", "name: app.eu.khorium.ai"))).toEqual([
      "/env/staging.yaml:11:15 dns.records[0].name: warning: app.eu.khorium.ai is not covered by the certificate of distributions.site (*.khorium.ai) (browsers will refuse https://app.eu.khorium.ai: use a certificate for app.eu.khorium.ai or for *.eu.khorium.ai)",
    ]);
  });

  it("treats a record name without the zone as relative to it", () => {
    expect(viaDocument(SITE.replace("name: app.khorium.ai", "name: app"))).toEqual([]);
    expect(viaDocument(SITE.replace("name: app.khorium.ai", 'name: "@"'))).toHaveLength(1);
  });

  it("a distribution without a certificate serves only *.cloudfront.net", () => {
    expect(viaDocument(SITE.replace('    certificate: { domain: "*.khorium.ai" }\n', ""))).toEqual([
      "/env/staging.yaml:6:15 distributions.site.aliases[0]: warning: staging.khorium.ai is not covered by the certificate of distributions.site (*.cloudfront.net) (browsers will refuse https://staging.khorium.ai: use a certificate for staging.khorium.ai or for *.khorium.ai)",
      "/env/staging.yaml:10:15 dns.records[0].name: warning: app.khorium.ai is not covered by the certificate of distributions.site (*.cloudfront.net) (browsers will refuse https://app.khorium.ai: use a certificate for app.khorium.ai or for *.khorium.ai)",
    ]);
  });

  const ALB = (certificate: string) => `
loadBalancers:
  web:
    name: web-alb
    listeners:
      - { port: 80, protocol: HTTP }
      - { port: 443, protocol: HTTPS, certificate: ${certificate} }
dns:
  zone: khorium.ai
  records:
    - { name: api.khorium.ai, type: A, alias: loadBalancers.web }
`;

  it("finds a DNS name aliasing a load balancer its HTTPS listener's certificate does not cover", () => {
    expect(viaDocument(ALB('{ domain: "*.other.io" }'))).toEqual([
      "/env/staging.yaml:13:15 dns.records[0].name: warning: api.khorium.ai is not covered by the certificate of loadBalancers.web.listeners[1] (*.other.io) (browsers will refuse https://api.khorium.ai: use a certificate for api.khorium.ai or for *.khorium.ai)",
    ]);
    expect(viaDocument(ALB('{ domain: "*.khorium.ai" }'))).toEqual([]);
  });

  it("an ARN says nothing at validate time; discovery's facts give its names (and SANs)", () => {
    const arn = "arn:aws:acm:us-west-1:123456789012:certificate/abc";
    expect(viaDocument(ALB(arn))).toEqual([]);
    const facts = { listenerCertificates: { "us-west-1|other.io": arn, "us-west-1|*.other.io": arn } };
    expect(viaDocument(ALB(arn), factCertificateNames(facts))).toEqual([
      "/env/staging.yaml:13:15 dns.records[0].name: warning: api.khorium.ai is not covered by the certificate of loadBalancers.web.listeners[1] (other.io, *.other.io) (browsers will refuse https://api.khorium.ai: use a certificate for api.khorium.ai or for *.khorium.ai)",
    ]);
    const sans = { distributionCertificates: { "us-east-1|*.khorium.ai": arn, "us-east-1|khorium.ai": arn } };
    const apex = SITE.replace("[staging.khorium.ai]", "[staging.khorium.ai, khorium.ai]");
    expect(viaDocument(apex, factCertificateNames(sans))).toEqual([]);
  });
});

describe("CORS_ORIGINS covers the public origins", () => {
  const cors = (origins: string) =>
    `${SITE}appEnv:\n  path: /khorium/staging/\n  values:\n    CORS_ORIGINS: ${origins}\n`;

  it("finds each public origin missing from the list, at CORS_ORIGINS", () => {
    expect(
      viaDocument(cors("https://app.khorium.ai,http://bucket.s3-website-us-west-1.amazonaws.com")),
    ).toEqual([
      "/env/staging.yaml:15:19 appEnv.values.CORS_ORIGINS: warning: CORS_ORIGINS lacks https://staging.khorium.ai (an alias of distributions.site) (add it to the comma-separated list, or browsers block the app's API calls from that page)",
    ]);
    expect(viaDocument(cors("http://localhost:3000"))).toHaveLength(2);
  });

  it("accepts a complete list, in any case, with spaces and trailing slashes", () => {
    expect(viaDocument(cors('"https://STAGING.khorium.ai/, https://app.khorium.ai"'))).toEqual([]);
  });

  it("expects http:// for a load balancer without an HTTPS listener", () => {
    const lb = `loadBalancers:\n  web:\n    name: web-alb\n    listeners: [{ port: 80, protocol: HTTP }]\ndns:\n  zone: example.com\n  records:\n    - { name: api.example.com, type: A, alias: loadBalancers.web }\nappEnv:\n  path: /x/\n  values:\n    CORS_ORIGINS: `;
    expect(viaDocument(lb + "https://api.example.com\n")).toEqual([
      "/env/staging.yaml:14:19 appEnv.values.CORS_ORIGINS: warning: CORS_ORIGINS lacks http://api.example.com (a DNS name of loadBalancers.web) (add it to the comma-separated list, or browsers block the app's API calls from that page)",
    ]);
    expect(viaDocument(lb + "http://api.example.com\n")).toEqual([]);
  });

  it("cannot judge a secret or interpolated value, and leaves it alone", () => {
    expect(viaDocument(cors("{ secret: true, fromEnv: CORS }"))).toEqual([]);
    expect(viaDocument(cors('"${buckets.site.name}"'))).toEqual([]);
  });
});
