import { describe, expect, it } from "vitest";
import { isRead, readsAndChanges, sequenceOf } from "../../bench/callShape.js";

describe("round trips in sequence", () => {
  it("gives calls sent together one depth, and a call sent after an answer the next", () => {
    const sequence = sequenceOf([
      // Listed out of order: depth follows the clock, not the list.
      { name: "s3:GET /{bucket}?tagging", startMs: 205, endMs: 305 },
      { name: "ec2:DescribeVpcs", startMs: 0, endMs: 100 },
      { name: "s3:GET /", startMs: 2, endMs: 103 },
      { name: "ec2:DescribeSubnets", startMs: 101, endMs: 201 },
      { name: "s3:GET /{bucket}", startMs: 104, endMs: 204 },
      // Sent while the first calls were still out: it waited for none of them.
      { name: "rds:DescribeDBInstances", startMs: 50, endMs: 150 },
    ]);
    expect(sequence).toEqual({
      depth: 3,
      chain: ["s3:GET /", "s3:GET /{bucket}", "s3:GET /{bucket}?tagging"],
    });
  });

  it("counts a call never answered as preceding nothing, and an empty run as 0 deep", () => {
    const unanswered = sequenceOf([
      { name: "ec2:DescribeVpcs", startMs: 0 },
      { name: "ec2:DescribeSubnets", startMs: 10, endMs: 20 },
      { name: "ec2:DescribeImages", startMs: 30, endMs: 40 },
    ]);
    expect(unanswered.depth).toBe(2);
    expect(unanswered.chain).toEqual(["ec2:DescribeSubnets", "ec2:DescribeImages"]);
    expect(sequenceOf([])).toEqual({ depth: 0, chain: [] });
  });
});

describe("an apply's reads", () => {
  it("tells reads from changes in every protocol's naming", () => {
    expect(
      [
        "ec2:DescribeInstances",
        "ssm:GetParameters",
        "s3:HEAD /{bucket}",
        "route53:GET /x",
        "route53:POST /2013-04-01/tags/hostedzone",
      ].every(isRead),
    ).toBe(true);
    expect(
      [
        "ec2:RunInstances",
        "s3:PUT /{bucket}",
        "ec2:CreateTags",
        "ssm:Getaway",
        "route53:POST /2013-04-01/hostedzone/{id}/rrset",
      ].some(isRead),
    ).toBe(false);
    expect(
      readsAndChanges({ "ec2:DescribeInstances": 3, "ec2:RunInstances": 2, "s3:PUT /{bucket}": 1 }),
    ).toEqual({
      reads: 3,
      changes: 3,
    });
  });
});
