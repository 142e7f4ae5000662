import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySession } from "../../src/cli/workflow.js";
import type { ApplyEvent } from "../../src/engine/types.js";
import { startFaultProxy } from "../support/faultProxy.js";
import { actions, applyFile, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const HEAD = `
environment: deltest
region: us-west-1
`;

const GROUPS = `securityGroups:
  alb:
    name: deltest-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }]
  app:
    name: deltest-app
    ingress: [{ port: 8080, source: securityGroups.alb }]
  admin:
    name: deltest-admin
    ingress: [{ port: 22, cidr: 203.0.113.10/32 }]
`;

async function groupTags(endpoint: string): Promise<Record<string, string | undefined>> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "tag:parity:environment", Values: ["deltest"] }] }),
  );
  return Object.fromEntries(
    (found.SecurityGroups ?? []).map((g) => [
      g.GroupName ?? "",
      g.Tags?.find((t) => t.Key === "parity:depends-on")?.Value,
    ]),
  );
}

describe("deletion follows recorded dependencies", () => {
  it("records what each group depends on, and deletes a referenced group only after the one that references it", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(HEAD + GROUPS);
    await applyFile(file, endpoint);
    expect(await groupTags(endpoint)).toEqual({
      "deltest-alb": undefined,
      "deltest-app": "securityGroups.alb",
      "deltest-admin": undefined,
    });

    // The file drops every group: nothing in it says any more that app used alb.
    writeFileSync(file, `${HEAD}tags: { project: parity-test }\n`);
    const proxy = await startFaultProxy({ target: endpoint });
    const events: ApplyEvent[] = [];
    try {
      const session = await planFile(file, proxy.endpoint);
      expect(actions(session.plan).sort()).toEqual([
        "delete securityGroups.admin",
        "delete securityGroups.alb",
        "delete securityGroups.app",
      ]);
      try {
        const result = await applySession(session, { events: (e) => events.push(e), allowDestroy: true });
        expect(result.failed).toEqual([]);
      } finally {
        session.ctx.destroy();
      }
      // One call per group: none was refused because another group still referenced it.
      expect(proxy.calls.filter((c) => c.operation === "DeleteSecurityGroup")).toHaveLength(3);
    } finally {
      await proxy.stop();
    }
    const order = events.map((e) => `${e.type} ${e.address}`);
    expect(order.indexOf("start securityGroups.alb")).toBeGreaterThan(
      order.indexOf("done securityGroups.app"),
    );
    // Independent deletions do not wait for each other.
    expect(order.indexOf("start securityGroups.admin")).toBeLessThan(
      order.indexOf("done securityGroups.app"),
    );
    expect(await groupTags(endpoint)).toEqual({});
  });
});
