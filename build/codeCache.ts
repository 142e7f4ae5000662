import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Writes the code cache of a CommonJS file of the bundle (src/providers/aws/codeCache.ts reads
 * it). V8 accepts a cache only from its own version and flags, so it is made by a child of this
 * very `node` binary, without the flags of whatever runs the build.
 */
export function writeCodeCache(root: string, file: string): void {
  execFileSync(process.execPath, ["--import", "tsx", join(root, "build/codeCacheChild.ts"), file], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
