import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parity } from "../support/child.js";

const DIR = join(import.meta.dirname, "../fixtures/invalid");
const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<string, string>;

// One file per finding of issue 8 this corpus answers (5, 9 and the input cases of 10).
const FINDINGS = [
  "tags-parity-address",
  "sg-cidr-prefix-33",
  "sg-cidr-octet-300",
  "sg-cidr-host-bits",
  "bucket-ip-address-name",
  "bucket-adjacent-dots",
  "sg-name-sg-prefix",
  "tags-aws-prefix",
  "tags-key-too-long",
  "env-too-long",
  "region-unknown",
  "inst-type-unknown-family",
  "yaml-ref-tag",
  "yaml-deep-nesting-flow",
  "yaml-multi-document",
];

/** An endpoint that answers nothing and counts who connects: bad input must never reach it. */
let server: Server;
let connections = 0;
let endpoint = "";

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("bad input through the CLI", () => {
  // apply reads its file through the same loader: a few cases show it, plan shows them all.
  it.each(FINDINGS)("%s.yaml: plan exits 1 with its one error, and calls nothing", async (name) => {
    const commands = FINDINGS.indexOf(name) < 3 ? [["plan"], ["apply", "--auto-approve"]] : [["plan"]];
    for (const args of commands) {
      const run = await parity([...args, `${name}.yaml`], { endpoint, cwd: DIR });
      expect(run.code).toBe(1);
      const errors = run.stderr.split("\n").filter((line) => line.startsWith("error: "));
      expect(errors).toEqual([`error: ${expected[name]}`]);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(connections).toBe(0);
  });
});
