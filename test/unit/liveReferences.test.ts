import { describe, expect, it } from "vitest";
import { liveReferences } from "../../src/engine/liveReferences.js";
import type { ObservedNode } from "../../src/model/index.js";

function node(address: string, outputs: ObservedNode["outputs"]): ObservedNode {
  return { type: address.split(".")[0] ?? "", address, id: address, managed: true, attributes: {}, outputs };
}

describe("live values read as addresses", () => {
  const read = liveReferences([
    node("certificates.alb", { arn: "arn:aws:acm:us-west-1:1:certificate/a", region: "us-west-1" }),
    node("securityGroups.alb", { id: "sg-0abc", name: "khorium-alb" }),
  ]);

  it("turns ids and ARNs into the address of the resource that outputs them", () => {
    expect(read("sg-0abc")).toBe("securityGroups.alb");
    expect(read(["arn:aws:acm:us-west-1:1:certificate/a"])).toEqual(["certificates.alb"]);
  });

  it("never reads a region as the resource that lives there", () => {
    expect(read("us-west-1")).toBe("us-west-1");
    expect(read({ region: "us-west-1" })).toEqual({ region: "us-west-1" });
  });
});
