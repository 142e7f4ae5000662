import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callName, countCalls } from "../../bench/recorder.js";
import { plannedChanges } from "../../bench/terraform.js";
import { parityYaml, terraformHcl, workload } from "../../bench/workload.js";
import { load } from "../../src/cli/workflow.js";

const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=testing/20250101/us-west-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;

describe("bench call counting", () => {
  it("names query, JSON and REST requests by service and action", () => {
    const query = Buffer.from("Action=DescribeSecurityGroups&Version=2016-11-15").toString("base64");
    expect(
      callName({ headers: { Authorization: auth("ec2") }, method: "POST", body: query, body_encoded: true }),
    ).toBe("ec2:DescribeSecurityGroups");
    expect(
      callName({
        headers: { authorization: auth("ssm"), "X-Amz-Target": "AmazonSSM.DescribeParameters" },
        method: "POST",
        body: "{}",
      }),
    ).toBe("ssm:DescribeParameters");
    expect(
      callName({ headers: { Authorization: auth("s3") }, method: "GET", url: "http://127.0.0.1:1/?x-id=1" }),
    ).toBe("s3:GET /");
  });

  it("counts one call per recorded line", () => {
    const line = (action: string) =>
      JSON.stringify({ headers: { Authorization: auth("elasticloadbalancing") }, body: `Action=${action}` });
    const calls = countCalls(
      [line("DescribeTags"), line("DescribeTags"), line("DescribeTargetGroups"), ""].join("\n"),
    );
    expect(calls).toEqual({
      total: 3,
      byAction: { "elasticloadbalancing:DescribeTags": 2, "elasticloadbalancing:DescribeTargetGroups": 1 },
    });
  });

  it("reads Terraform's plan summary", () => {
    expect(plannedChanges("Plan: 5 to add, 1 to change, 2 to destroy.")).toBe(8);
    expect(plannedChanges("No changes. Your infrastructure matches the configuration.")).toBe(0);
    expect(plannedChanges("Error: something")).toBeUndefined();
  });
});

describe("bench workload", () => {
  it("splits a size between the kinds and writes a file parity accepts", () => {
    const w = workload(5, true);
    expect(w).toEqual({ securityGroups: 3, targetGroups: 2 });
    const dir = mkdtempSync(join(tmpdir(), "parity-bench-test-"));
    const file = join(dir, "bench.yaml");
    writeFileSync(file, parityYaml(w));
    const { loaded, diagnostics } = load(file);
    expect(diagnostics).toEqual([]);
    expect(loaded?.environment.nodes.map((n) => n.address)).toEqual([
      "securityGroups.sg001",
      "securityGroups.sg002",
      "securityGroups.sg003",
      "targetGroups.tg001",
      "targetGroups.tg002",
    ]);
    const hcl = terraformHcl(w, "http://127.0.0.1:1");
    expect(hcl.match(/resource "aws_security_group"/g)).toHaveLength(3);
    expect(hcl.match(/resource "aws_lb_target_group"/g)).toHaveLength(2);
  });
});
