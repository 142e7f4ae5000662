import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  AddTagsCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySession, load, planLoaded } from "../../src/cli/workflow.js";
import { renderComparisonText } from "../../src/render/compareText.js";
import type { ApplyEvent } from "../../src/engine/types.js";
import { comparedEnvironment, compareSessions } from "../../src/cli/comparing.js";
import type { Comparison } from "../../src/model/index.js";
import { startFaultProxy } from "../support/faultProxy.js";
import { actions, applyFile, livePlan, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();
const REGION = "us-west-1";

function asMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

function groupFile(environment: string, directives = ""): string {
  return `environment: ${environment}
region: ${REGION}
targetGroups:
  web:
    name: ${environment}-tg
    port: 8080
    healthCheck: { path: /health }
    tags: { owner: platform }
${directives}`;
}

async function liveGroup(endpoint: string, name: string) {
  const elbv2 = new ElasticLoadBalancingV2Client({ region: REGION, endpoint });
  try {
    const found = await elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
    const group = found.TargetGroups?.[0];
    const arn = group?.TargetGroupArn ?? "";
    const tags = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    return { arn, path: group?.HealthCheckPath, tags: asMap(tags.TagDescriptions?.[0]?.Tags) };
  } finally {
    elbv2.destroy();
  }
}

/** What another writer does: the aws CLI's modify-target-group and add-tags. */
async function changeByHand(endpoint: string, arn: string): Promise<void> {
  const elbv2 = new ElasticLoadBalancingV2Client({ region: REGION, endpoint });
  try {
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckPath: "/ready" }));
    await elbv2.send(
      new AddTagsCommand({ ResourceArns: [arn], Tags: [{ Key: "owner", Value: "deploy-job" }] }),
    );
  } finally {
    elbv2.destroy();
  }
}

/** `parity compare A B` without a process: both planned fullShape, then compared. */
async function compareFiles(a: string, b: string, endpoint: string): Promise<Comparison> {
  const [sa, sb] = await Promise.all(
    [a, b].map(async (file) => {
      const { loaded } = load(file, { secrets: {} });
      const session = await planLoaded(loaded!, { endpoint, fullShape: true });
      session.ctx.destroy();
      return comparedEnvironment(file, session);
    }),
  );
  return compareSessions(sa!, sb!);
}

describe("ignoreChanges", () => {
  it("leaves what another writer changed unplanned and unreverted, and compare shows it as ignored", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(
      groupFile("igntest", "    ignoreChanges: [healthCheck.path, tags.owner]\n"),
    );
    await applyFile(file, endpoint);
    const made = await liveGroup(endpoint, "igntest-tg");
    await changeByHand(endpoint, made.arn);

    const plan = await livePlan(file, endpoint);
    expect(actions(plan)).toEqual([]);
    // An apply with something else to do still sends neither back.
    writeFileSync(
      file,
      groupFile("igntest", "    ignoreChanges: [healthCheck.path, tags.owner]\n").replace(
        "8080",
        "8080\n    deregistrationDelaySeconds: 60",
      ),
    );
    const session = await planFile(file, endpoint);
    expect(actions(session.plan)).toEqual(["update targetGroups.web"]);
    expect(session.plan.changes[0]?.attributes.map((a) => a.path)).toEqual(["deregistrationDelaySeconds"]);
    expect((await applySession(session)).failed).toEqual([]);
    session.ctx.destroy();
    const after = await liveGroup(endpoint, "igntest-tg");
    expect(after.path).toBe("/ready");
    expect(after.tags.owner).toBe("deploy-job");
    expect(actions(await livePlan(file, endpoint))).toEqual([]);

    // The same shape without the directive, beside it: the path differs, and shows as ignored.
    const other = writeEnvironment(
      groupFile("ignbase").replace("8080", "8080\n    deregistrationDelaySeconds: 60"),
    );
    await applyFile(other, endpoint);
    const comparison = await compareFiles(other, file, endpoint);
    expect(comparison.rows).toEqual([]);
    expect(comparison.ignored?.map((r) => `${r.address} ${r.path}: ${r.a} / ${r.b}`)).toEqual([
      "targetGroups.web healthCheck.path: /health / /ready",
    ]);
    expect(renderComparisonText(comparison)).toContain(
      "Ignored (ignoreChanges: another writer owns them, not compared)",
    );
  });

  it("refuses an ignored path the kind does not have, at its line, with the closest one", () => {
    const file = writeEnvironment(groupFile("igntest", "    ignoreChanges: [healthCheck.paht]\n"));
    const { diagnostics } = load(file, { secrets: {} });
    expect(
      diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.message} (${d.hint})`),
    ).toEqual(['9:21 unknown attribute "healthCheck.paht" (did you mean "healthCheck.path"?)']);
  });
});

describe("--replace", () => {
  it("replaces a resource that looks fine, with its reason, and a re-plan is clean", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(groupFile("reptest"));
    await applyFile(file, endpoint);
    const before = await liveGroup(endpoint, "reptest-tg");

    const session = await planFile(file, endpoint, process.env, { scope: { replace: ["targetGroups.web"] } });
    expect(actions(session.plan)).toEqual(["replace targetGroups.web"]);
    expect(session.plan.changes[0]?.reason).toBe("replacement requested");
    expect((await applySession(session)).failed).toEqual([]);
    session.ctx.destroy();
    const after = await liveGroup(endpoint, "reptest-tg");
    expect(after.arn).not.toBe(before.arn);
    expect(after.tags["parity:address"]).toBe("targetGroups.web");
    expect(actions(await livePlan(file, endpoint))).toEqual([]);
  });
});

describe("dependsOn", () => {
  const groups = (order: string) => `environment: ordtest
region: ${REGION}
securityGroups:
  first: { name: ordtest-first, ingress: [{ port: 80, cidr: 0.0.0.0/0 }]${order} }
  second: { name: ordtest-second, ingress: [{ port: 81, cidr: 0.0.0.0/0 }] }
`;

  it("creates an entry after what it names, and deletes it before, with no reference between them", async () => {
    const endpoint = emulator().endpoint;
    // File order says first, then second; dependsOn says the opposite.
    const file = writeEnvironment(groups(", dependsOn: [securityGroups.second]"));
    const proxy = await startFaultProxy({ target: endpoint });
    const created: ApplyEvent[] = [];
    const removed: ApplyEvent[] = [];
    try {
      const session = await planFile(file, proxy.endpoint);
      expect(
        (await applySession(session, { concurrency: 10, events: (e) => created.push(e) })).failed,
      ).toEqual([]);
      session.ctx.destroy();
      const names = await new EC2Client({ region: REGION, endpoint }).send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["ordtest-first"] }] }),
      );
      expect(asMap(names.SecurityGroups?.[0]?.Tags)["parity:depends-on"]).toBe("securityGroups.second");

      // Both dropped from the file: the recorded order holds without it.
      writeFileSync(file, `environment: ordtest\nregion: ${REGION}\ntags: { team: ops }\n`);
      const removal = await planFile(file, proxy.endpoint);
      expect(actions(removal.plan).sort()).toEqual([
        "delete securityGroups.first",
        "delete securityGroups.second",
      ]);
      expect(
        (await applySession(removal, { concurrency: 10, events: (e) => removed.push(e) })).failed,
      ).toEqual([]);
      removal.ctx.destroy();
    } finally {
      await proxy.stop();
    }
    const order = (events: ApplyEvent[]) => events.map((e) => `${e.type} ${e.address}`);
    expect(order(created).indexOf("start securityGroups.first")).toBeGreaterThan(
      order(created).indexOf("done securityGroups.second"),
    );
    expect(order(removed).indexOf("start securityGroups.second")).toBeGreaterThan(
      order(removed).indexOf("done securityGroups.first"),
    );
    const calls = proxy.calls.map((c) => c.operation).filter((o) => /^(Create|Delete)SecurityGroup$/.test(o));
    expect(calls).toEqual([
      "CreateSecurityGroup",
      "CreateSecurityGroup",
      "DeleteSecurityGroup",
      "DeleteSecurityGroup",
    ]);
  });

  it("reports a cycle through dependsOn at its line, with the cycle's path", () => {
    const file = writeEnvironment(
      groups(", dependsOn: [securityGroups.second]").replace(
        "port: 81, cidr: 0.0.0.0/0 }] }",
        "port: 81, cidr: 0.0.0.0/0 }], dependsOn: [securityGroups.first] }",
      ),
    );
    const { diagnostics } = load(file, { secrets: {} });
    expect(diagnostics.map((d) => `${d.location?.line} ${d.message}`)).toEqual([
      "4 reference cycle: securityGroups.first → securityGroups.second → securityGroups.first",
    ]);
  });
});
