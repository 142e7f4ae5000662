import { describe, expect, it } from "vitest";
import { parseSelect, parseTags } from "../../src/cli/commands/export.js";
import { ParityError } from "../../src/model/index.js";

describe("export's selection flags", () => {
  it("reads KIND:PATTERN and KEY=VALUE", () => {
    expect(parseSelect(["loadBalancers:webdev-*", "buckets"])).toEqual([
      { kind: "loadBalancers", pattern: "webdev-*" },
      { kind: "buckets", pattern: "*" },
    ]);
    expect(parseTags(["project=khorium", "a=b=c"])).toEqual([
      { key: "project", value: "khorium" },
      { key: "a", value: "b=c" },
    ]);
  });

  it("refuses an unknown kind, naming the kinds there are", () => {
    const attempt = () => parseSelect(["loadbalancers:web"]);
    expect(attempt).toThrow(ParityError);
    expect(attempt).toThrow('--select loadbalancers:web: "loadbalancers" is not a kind');
    try {
      attempt();
    } catch (error) {
      expect((error as ParityError).hint).toContain("loadBalancers");
    }
  });

  it("refuses a tag without a value", () => {
    expect(() => parseTags(["project"])).toThrow("--tag project: expected KEY=VALUE");
  });
});
