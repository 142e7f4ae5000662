import { createServer, request } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { useMoto, writeEnvironment } from "../support/harness.js";
import {
  deadPid,
  groupNames,
  groupsFile,
  localRecord,
  lockParameters,
  putLock,
} from "../support/lockState.js";
import { startTogether } from "../support/together.js";

const { emulator } = useMoto();

const LOCK = "/parity/locks/takeover/us-west-1";
const FILE = groupsFile("takeover", 3, "takeover-");

/**
 * A loopback proxy in front of moto that lets moto execute the first request `matches` picks and
 * then drops the connection instead of answering: the write happened, its answer was lost, and
 * the SDK retries it. (Just this one fault; a general fault proxy lives elsewhere.)
 */
async function dropFirstAnswer(
  target: string,
  matches: (headers: IncomingHttpHeaders, body: string) => boolean,
): Promise<{ endpoint: string; dropped: () => number; close(): Promise<void> }> {
  let dropped = 0;
  const server: Server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (c: Buffer) => chunks.push(c));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const drop = dropped === 0 && matches(incoming.headers, body.toString());
      const upstream = request(
        `${target}${incoming.url ?? "/"}`,
        { method: incoming.method, headers: incoming.headers },
        (response) => {
          if (drop) {
            dropped++;
            response.resume();
            response.on("end", () => incoming.socket.destroy());
            return;
          }
          answer.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(answer);
        },
      );
      upstream.on("error", () => answer.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    dropped: () => dropped,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("an abandoned or half-taken lock against moto", () => {
  it("holds its own lock when the write that took it succeeded but its answer was lost", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const proxy = await dropFirstAnswer(
      endpoint,
      (headers, body) => headers["x-amz-target"] === "AmazonSSM.PutParameter" && body.includes(LOCK),
    );
    try {
      const run = await parity(["apply", file, "--auto-approve"], { endpoint: proxy.endpoint });
      expect(proxy.dropped()).toBe(1);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stderr).not.toContain("is locked by");
      expect(run.stderr).not.toContain("Took over");
    } finally {
      await proxy.close();
    }
    expect(await groupNames(endpoint, "takeover-")).toEqual(["takeover-g0", "takeover-g1", "takeover-g2"]);
    expect(await lockParameters(endpoint)).toEqual({});
  });

  it("takes over at once the lock of a run on this host whose process is gone", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const pid = await deadPid();
    await putLock(endpoint, LOCK, localRecord(pid, 0));
    const run = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Took over the lock on takeover/us-west-1 from someone@\\S+ \\(pid ${pid}\\), held since \\S+: its process ${pid} is no longer running on \\S+\\.$`,
        "m",
      ),
    );
    expect(await groupNames(endpoint, "takeover-")).toHaveLength(3);
    expect(await lockParameters(endpoint)).toEqual({});
  });

  it("refuses the lock of a live run on this host, and says that no unlock is needed for a dead one", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    await putLock(endpoint, LOCK, localRecord(process.pid, 0));
    const refused = await parity(["apply", file, "--auto-approve"], { endpoint });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`takeover/us-west-1 is locked by someone@`);
    expect(refused.stderr).toContain(`(pid ${process.pid})`);
    expect(await groupNames(endpoint, "takeover-")).toEqual([]);

    await putLock(endpoint, LOCK, localRecord(await deadPid(), 0));
    const unlock = await parity(["unlock", file], { endpoint });
    expect(unlock.code, unlock.stderr).toBe(0);
    expect(unlock.stderr).toMatch(
      /No need to unlock: its process \d+ is no longer running on \S+, so the next apply/,
    );
    expect(Object.keys(await lockParameters(endpoint))).toEqual([LOCK]);
  }, 120_000);

  it("lets exactly one of two runs started together take over a lock whose heartbeat stopped", async () => {
    const endpoint = emulator().endpoint;
    const file = writeEnvironment(FILE);
    const stale = { ...localRecord(4_000_000, 10 * 60_000), who: "bob@gone", host: "gone", token: "stale" };
    await putLock(endpoint, LOCK, stale);
    const args = ["apply", file, "--auto-approve", "--concurrency", "1"];
    const runs = await startTogether([
      { args, options: { endpoint } },
      { args, options: { endpoint } },
    ]);
    const results = await Promise.all(runs.map((r) => r.done));
    const all = results.map((r) => r.stdout + r.stderr).join("\n----\n");
    expect(results.map((r) => r.code).sort(), all).toEqual([0, 3]);
    const winner = runs[results.findIndex((r) => r.code === 0)];
    const loser = results.find((r) => r.code === 3);
    const won = results.find((r) => r.code === 0);
    expect(won?.stderr).toMatch(
      /^Took over the lock on takeover\/us-west-1 from bob@gone \(pid 4000000\), held since \S+: its last heartbeat was at \S+, more than 5 minutes ago\.$/m,
    );
    // The loser names the run that won, not the dead one it found first.
    expect(loser?.stderr).toContain(`(pid ${winner?.child.pid})`);
    expect(loser?.stderr).not.toContain("Took over");
    expect(await groupNames(endpoint, "takeover-")).toHaveLength(3);
    expect(await lockParameters(endpoint)).toEqual({});
  });
});
