/**
 * Loads a large CommonJS file through V8's code cache. The bundle's SDK file is 3 MB of code and
 * compiling it is most of its load time on every run that talks to AWS; V8 can instead take back
 * the compiled code it produced once at build time (build/codeCache.ts), checked against the
 * source it was made from. A cache that is missing, damaged or made by another Node version only
 * costs the compile it would have saved: the file always loads, silently.
 */
import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import { debuglog } from "node:util";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";

/** The cache of `file`, written beside it. */
export const codeCacheOf = (file: string): string => `${file}.v8cache`;

/** Two checksums precede V8's data: of the source it was made from, and of the data itself. */
const HEADER = 8;

/**
 * V8 checks a cache's version and flags but, in release builds, not the integrity of its
 * contents: a damaged cache must be refused here, before V8 deserializes it.
 */
export function sealCodeCache(source: string, data: Buffer): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32BE(crc32(source), 0);
  header.writeUInt32BE(crc32(data), 4);
  return Buffer.concat([header, data]);
}

function openCodeCache(source: string, sealed: Buffer): Buffer | undefined {
  if (sealed.length <= HEADER || sealed.readUInt32BE(0) !== crc32(source)) return undefined;
  const data = sealed.subarray(HEADER);
  return sealed.readUInt32BE(4) === crc32(data) ? data : undefined;
}

/** The file's code wrapped as CommonJS wraps it, so build time and run time compile the same text. */
export function compileCommonJs(file: string, source: string, cachedData?: Buffer): Script {
  return new Script(Module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // No import() option: Node 20 calls it experimental and warns; the build turns the SDK's
    // import() of Node's built-ins into require().
  });
}

/** Runs a compiled CommonJS wrapper as `file`'s module and returns its exports. */
export function runCommonJs(script: Script, file: string): unknown {
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

// Node's own section: `NODE_DEBUG=module` shows this load beside the ones require() makes.
const debug = debuglog("module");
const loaded = new Map<string, unknown>();

/**
 * `file`'s exports, loaded once. With source maps on (`--verbose`) it is a plain require(), so
 * stack traces map back to the sources.
 */
export function requireWithCodeCache(file: string): unknown {
  if (loaded.has(file)) return loaded.get(file);
  let exports: unknown;
  if (process.sourceMapsEnabled) {
    debug("load %s without its code cache: source maps are on", file);
    exports = createRequire(file)(file);
  } else {
    const source = readFileSync(file, "utf8");
    const sealed = readIfPresent(codeCacheOf(file));
    const cachedData = sealed ? openCodeCache(source, sealed) : undefined;
    const script = compileCommonJs(file, source, cachedData);
    const cache = !cachedData ? "none usable" : script.cachedDataRejected ? "rejected by V8" : "accepted";
    debug("load %s with its code cache: %s", file, cache);
    exports = runCommonJs(script, file);
  }
  loaded.set(file, exports);
  return exports;
}
