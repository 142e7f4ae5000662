import { describe, expect, it } from "vitest";
import { registered, wiringFindings } from "../../src/cli/workflow.js";
import { loadEnvironment } from "../../src/config/index.js";
import { makeResolver } from "../../src/engine/resolver.js";
import type { EnvironmentInfo } from "../../src/engine/types.js";
import type { DesiredNode, Value } from "../../src/model/index.js";
import { formatDiagnostic } from "../../src/model/index.js";
import { referencedCertificate } from "../../src/providers/aws/common/certificates.js";
import {
  VALIDATION_ZONES,
  alternativeNames,
  desiredCertificate,
  zoneFor,
} from "../../src/providers/aws/certificates/desired.js";
import { parseOwnerText } from "../../src/providers/aws/certificates/validation.js";

const env: EnvironmentInfo = {
  environment: "staging",
  project: "khorium",
  region: "us-west-1",
  tags: { project: "khorium" },
  secrets: {},
};

function node(spec: { [key: string]: Value }): DesiredNode {
  return {
    address: "certificates.site",
    type: "certificates",
    group: "certificates.site",
    spec,
    dependsOn: [],
    protect: false,
  };
}

function resolver(zones: { [name: string]: Value }, outputs: { [key: string]: Value } = {}) {
  const groups = new Map([["certificates.site", [outputs]]]);
  return makeResolver(groups, { [VALIDATION_ZONES]: zones }, env);
}

describe("certificates: desired state", () => {
  it("asks for an issued certificate for the names as ACM compares them, in the environment's region", () => {
    const state = desiredCertificate(
      node({
        domain: "*.Khorium.ai.",
        subjectAlternativeNames: ["khorium.ai", "*.khorium.ai", "API.khorium.ai"],
      }),
      resolver({ "khorium.ai": "Z1" }),
      undefined,
    );
    expect(state).toEqual({
      attributes: {
        domain: "*.khorium.ai",
        subjectAlternativeNames: ["api.khorium.ai", "khorium.ai"],
        region: "us-west-1",
        status: "ISSUED",
        usable: true,
        tags: { project: "khorium" },
      },
    });
  });

  it("refuses a name no hosted zone holds, unless the certificate is issued already", () => {
    const spec = {
      domain: "*.khorium.ai",
      subjectAlternativeNames: ["www.other.example"],
      region: "us-east-1",
    };
    const state = desiredCertificate(node(spec), resolver({ "khorium.ai": "Z1" }), undefined);
    expect(state.errors?.map((e) => e.message)).toEqual([
      "no Route53 hosted zone holds www.other.example, so its validation record has nowhere to go",
    ]);
    const issued = {
      type: "certificates",
      id: "arn:aws:acm:us-east-1:123456789012:certificate/x",
      managed: false,
      attributes: { status: "ISSUED" },
      outputs: {},
    };
    expect(desiredCertificate(node(spec), resolver({}), issued).errors).toBeUndefined();
  });

  it("puts a validation record in the longest zone that holds its name", () => {
    expect(zoneFor("_abc.api.staging.khorium.ai.", ["khorium.ai", "staging.khorium.ai"])).toBe(
      "staging.khorium.ai",
    );
    expect(zoneFor("*.khorium.ai", ["khorium.ai"])).toBe("khorium.ai");
    expect(zoneFor("notkhorium.ai", ["khorium.ai"])).toBeUndefined();
    expect(alternativeNames("*.x.io", ["*.x.io", "X.io."])).toEqual(["x.io"]);
  });

  it("resolves a reference to the certificate's ARN, and refuses one from another region than its user's", () => {
    const arn = "arn:aws:acm:us-west-1:123456789012:certificate/x";
    const here = resolver({}, { arn, region: "us-west-1" });
    expect(referencedCertificate(here, "certificates.site", "us-west-1", "a load balancer")).toEqual({ arn });
    expect(referencedCertificate(here, "certificates.site", "us-east-1", "CloudFront").error?.message).toBe(
      "certificates.site is in us-west-1, but CloudFront takes certificates from us-east-1 only",
    );
  });
});

describe("certificates: validation record ownership", () => {
  it("reads back the ownership a validation record's TXT records, and nothing the dns kind writes", () => {
    const text =
      '"heritage=parity-certificate,parity/environment=staging,parity/project=khorium,parity/region=us-west-1,parity/address=certificates.site,arn=arn:aws:acm:us-east-1:123456789012:certificate/x"';
    expect(parseOwnerText(text)).toEqual({
      arn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
      tags: {
        "parity:environment": "staging",
        "parity:project": "khorium",
        "parity:region": "us-west-1",
        "parity:address": "certificates.site",
      },
    });
    expect(
      parseOwnerText('"heritage=parity,parity/environment=staging,parity/address=dns.records[a/CNAME]"'),
    ).toBeUndefined();
  });
});

function findings(yaml: string): string[] {
  const result = loadEnvironment("/env/staging.yaml", {
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

describe("certificates: wiring", () => {
  it("checks a distribution's aliases against the names of the certificate it references", () => {
    const file = (alias: string) => `certificates:
  site: { domain: "*.khorium.ai", region: us-east-1 }
distributions:
  site:
    aliases: [${alias}]
    certificate: certificates.site
    origins: { web: { domain: origin.khorium.ai, protocol: http-only } }
    defaultBehavior: { origin: web }
`;
    expect(findings(file("staging.khorium.ai"))).toEqual([]);
    expect(findings(file("khorium.ai"))).toEqual([
      expect.stringMatching(
        /^\/env\/staging\.yaml:7:15 .*khorium\.ai is not covered by the certificate of distributions\.site \(\*\.khorium\.ai\)/,
      ),
    ]);
  });
});
