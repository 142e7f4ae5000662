/**
 * Run by build/codeCache.ts in a child `node`, the binary that will run the CLI: compiles the
 * SDK file the way the CLI's loader does, runs it, constructs every client once (their lazily
 * compiled functions then join the cache), and writes V8's code cache beside the file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { codeCacheOf, compileCommonJs, runCommonJs, sealCodeCache } from "../src/providers/aws/codeCache.js";

type Exports = { [pkg: string]: { [name: string]: unknown } };

const file = process.argv[2];
if (!file) throw new Error("usage: codeCacheChild.ts <file.cjs>");
const source = readFileSync(file, "utf8");
const script = compileCommonJs(file, source);
const sdk = runCommonJs(script, file) as Exports;
for (const exports of Object.values(sdk))
  for (const [name, value] of Object.entries(exports)) {
    if (!name.endsWith("Client") || typeof value !== "function") continue;
    const Client = value as new (config: object) => { destroy(): void };
    new Client({
      region: "us-east-1",
      credentials: { accessKeyId: "build", secretAccessKey: "build" },
    }).destroy();
  }
writeFileSync(codeCacheOf(file), sealCodeCache(source, script.createCachedData()));
