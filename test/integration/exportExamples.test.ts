import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";
import { seedKhorium } from "../../src/providers/aws/seeds/khorium.js";
import { exportThenPlan, expectOnlyAdopts } from "../support/exportTrip.js";
import { useMoto } from "../support/harness.js";

const { emulator } = useMoto();

/** Dev as the khorium runbook names it: everything called khorium-webdev-*, its assets, its site. */
const KHORIUM_DEV = [
  "--environment",
  "dev",
  "--select",
  "securityGroups:khorium-webdev-*",
  "--select",
  "targetGroups:khorium-webdev-*",
  "--select",
  "loadBalancers:khorium-webdev-*",
  "--select",
  "databases:khorium-webdev-*",
  "--select",
  "buckets:muaz-webdev-*",
  "--select",
  "distributions:app.khorium.ai",
  "--select",
  "dns:app.khorium.ai",
];

const KHORIUM_DEV_ADDRESSES = [
  "securityGroups.khoriumWebdevAlb",
  "targetGroups.khoriumWebdev",
  "loadBalancers.khoriumWebdev",
  "loadBalancers.khoriumWebdev.listeners[80]",
  "databases.khoriumWebdev",
  "buckets.muazWebdevAssets",
  "dns.records[app.khorium.ai/A]",
];

describe("export of the examples' before-states, selected by name", () => {
  it("khorium Staging plans as adoptions only", async () => {
    const { endpoint } = emulator();
    await seedKhorium(endpoint);
    const trip = await exportThenPlan(endpoint, [
      "--environment",
      "staging",
      "--select",
      "securityGroups:khorium-staging-*",
      "--select",
      "targetGroups:*-stg",
      "--select",
      "loadBalancers:*-stg",
      "--select",
      "databases:khorium-staging-*",
    ]);
    const written = parse(trip.text);
    expect(written.loadBalancers.webdev.listeners).toEqual([
      { port: 80, protocol: "HTTP", forward: "targetGroups.webdevApp" },
    ]);
    expect(written.loadBalancers.webdev.securityGroups).toEqual(["securityGroups.khoriumAlb"]);
    expectOnlyAdopts(trip, [
      "securityGroups.khoriumAlb",
      "targetGroups.webdevApp",
      "loadBalancers.webdev",
      "loadBalancers.webdev.listeners[80]",
      "databases.khorium",
    ]);
  });

  it("khorium Dev plans as adoptions only, with no attribute changes", async () => {
    const { endpoint } = emulator();
    await seedKhorium(endpoint);
    const trip = await exportThenPlan(endpoint, KHORIUM_DEV);
    expectOnlyAdopts(trip, [...KHORIUM_DEV_ADDRESSES, "distributions.appKhorium"]);
    const written = parse(trip.text);
    expect(written.distributions.appKhorium.certificate).toEqual({
      domain: "*.khorium.ai",
      minimumProtocolVersion: "TLSv1",
    });
    expect(written.distributions.appKhorium.origins.api.domain).toBe(
      "${loadBalancers.khoriumWebdev.dnsName}",
    );
    expect(written.dns.records).toEqual([
      { name: "app.khorium.ai", type: "A", alias: "distributions.appKhorium" },
    ]);
  });

  it("chatmrpt staging (its instance, followed to its group) and production (its Redis) plan as adoptions only", async () => {
    const { endpoint } = emulator();
    const { "i-0a1b2c3d4e5f60718": instance } = await seedChatmrpt(endpoint);
    const staging = await exportThenPlan(endpoint, [
      "--environment",
      "staging",
      "--select",
      "instances:chatmrpt-staging*",
      "--follow",
    ]);
    const written = parse(staging.text);
    expect(written.instances.chatmrpt).toMatchObject({
      type: "t3.micro",
      keyName: "chatmrpt-staging-key",
      securityGroups: ["securityGroups.sg"],
      adopt: [instance],
    });
    expect(written.instances.chatmrpt.count).toBeUndefined(); // 1, the default
    expectOnlyAdopts(staging, ["securityGroups.sg", "instances.chatmrpt[0]"]);

    const production = await exportThenPlan(endpoint, [
      "--environment",
      "production",
      "--select",
      "caches:chatmrpt-redis",
    ]);
    expectOnlyAdopts(production, ["caches.chatmrpt"]);
  });
});
