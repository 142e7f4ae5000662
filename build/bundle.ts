/**
 * `npm run build`: bundles the CLI into dist/cli/parity.mjs (with source maps), the file `bin/parity.js`
 * runs. Two things happen at build time instead of at every start:
 * - the environment schema's validator is compiled by ajv into standalone code;
 * - each `@aws-sdk/client-*` import becomes stand-ins that load the package on first use, so
 *   `--help`, `validate` and `show` load no SDK client at all.
 * The test suite's CLI bundle (test/support/cliBuild.ts) is built with the same options.
 */
import { build } from "esbuild";
import type { BuildOptions, Plugin } from "esbuild";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { writeCodeCache } from "./codeCache.js";

export const ROOT = join(import.meta.dirname, "..");
const SRC = join(ROOT, "src");
const SDK_CLIENT = /^@aws-sdk\/client-[a-z0-9-]+$/;

/** Every `.ts` file under a folder. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The value names each SDK client package is imported for, across src/ (type imports left out). */
export function sdkImports(): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  const statement = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g;
  for (const file of sourcesUnder(SRC)) {
    for (const [, typeOnly, names, pkg] of readFileSync(file, "utf8").matchAll(statement)) {
      if (typeOnly || !pkg || !names) continue;
      const set = used.get(pkg) ?? new Set<string>();
      for (const part of names.split(",")) {
        const name = part
          .trim()
          .split(/\s+as\s+/)[0]
          ?.trim();
        if (name && !name.startsWith("type ")) set.add(name);
      }
      used.set(pkg, set);
    }
  }
  return used;
}

/** The file beside the bundle's chunks that holds every SDK export parity uses, as CommonJS. */
const SDK_FILE = "aws-sdk.cjs";

/**
 * The stand-in module for one package: a deferred binding per imported name. It loads the SDK
 * as CommonJS, synchronously, on first use (an ES module chunk would be parsed at start-up even
 * if never run, and the SDK's is most of the bundle), through the code cache the build writes.
 */
async function standInModule(pkg: string, names: Set<string>): Promise<string> {
  const real = (await import(pkg)) as { [name: string]: unknown };
  const deferred = join(SRC, "providers/aws/deferred.ts");
  const loader = join(SRC, "providers/aws/codeCache.ts");
  const lines = [
    `import { deferredFunction, deferredObject } from ${JSON.stringify(deferred)};`,
    `import { requireWithCodeCache } from ${JSON.stringify(loader)};`,
    `import { fileURLToPath } from "node:url";`,
    "let real;",
    `const load = () => (real ??= requireWithCodeCache(fileURLToPath(new URL("./${SDK_FILE}", import.meta.url)))[${JSON.stringify(pkg)}]);`,
  ];
  for (const name of [...names].sort()) {
    const kind = typeof real[name];
    if (kind === "undefined") throw new Error(`${pkg} has no export ${name}`);
    const wrap = kind === "function" ? "deferredFunction" : "deferredObject";
    lines.push(`export const ${name} = ${wrap}(() => load().${name});`);
  }
  return lines.join("\n");
}

/** The SDK file's entry: each package's used names, under the package's name. */
function sdkEntry(used: Map<string, Set<string>>): string {
  const packages = [...used.keys()].sort();
  const lines = packages.map((pkg, i) => `import * as p${i} from ${JSON.stringify(pkg)};`);
  const members = (pkg: string, i: number) =>
    [...(used.get(pkg) ?? [])]
      .sort()
      .map((name) => `${name}: p${i}.${name}`)
      .join(", ");
  lines.push(
    `export default { ${packages.map((pkg, i) => `${JSON.stringify(pkg)}: { ${members(pkg, i)} }`).join(", ")} };`,
  );
  return lines.join("\n");
}

function lazySdkPlugin(used: Map<string, Set<string>>): Plugin {
  return {
    name: "lazy-sdk",
    setup(b) {
      // Only parity's own imports: the SDK's imports of its own packages stay as they are.
      b.onResolve({ filter: SDK_CLIENT }, (args) =>
        args.importer.startsWith(SRC + sep) ? { path: args.path, namespace: "sdk-stand-in" } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: "sdk-stand-in" }, async (args) => ({
        contents: await standInModule(args.path, used.get(args.path) ?? new Set()),
        resolveDir: ROOT,
        loader: "js",
      }));
    },
  };
}

/**
 * The SDK imports a few Node built-ins with import(). A script compiled through node:vm (as the
 * SDK file is, for its code cache) can run import() only under an experimental option of Node 20,
 * which warns, and whose callback a code cache does not carry over; so the SDK file asks for them
 * with require() instead, which gives the same module.
 */
function builtinsRequiredPlugin(): Plugin {
  return {
    name: "builtins-required",
    setup(b) {
      b.onResolve({ filter: /^node:/ }, (args) =>
        args.kind === "dynamic-import" ? { path: args.path, namespace: "builtin-required" } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: "builtin-required" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: "js",
      }));
    },
  };
}

/** The environment schema as the registered kinds build it, compiled by ajv to standalone code. */
async function precompiledValidatorModule(): Promise<string> {
  const { Ajv } = await import("ajv");
  // CommonJS: the namespace's default is module.exports, whose `default` is the function.
  const standalone = (await import("ajv/dist/standalone/index.js")).default.default;
  const { environmentSchema } = await import("../src/config/schema.js");
  const { registered } = await import("../src/cli/workflow.js");
  const { AJV_OPTIONS, schemaDigest } = await import("../src/config/compiledValidator.js");
  const schema = environmentSchema(registered.kinds, registered.checks);
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standalone(ajv, ajv.compile(schema));
  return `${code}\nexport const precompiled = { digest: ${JSON.stringify(schemaDigest(schema))}, validate: validate };\n`;
}

function precompiledValidatorPlugin(): Plugin {
  const target = join(SRC, "config/precompiledValidator.ts");
  return {
    name: "precompiled-validator",
    setup(b) {
      b.onLoad({ filter: /precompiledValidator\.ts$/ }, async (args) =>
        args.path === target
          ? { contents: await precompiledValidatorModule(), resolveDir: join(SRC, "config"), loader: "js" }
          : undefined,
      );
    },
  };
}

const COMMON: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  // The SDK's ES module builds, which esbuild can tree-shake.
  mainFields: ["module", "main"],
  logLevel: "error",
};

/**
 * Builds the CLI (and any other entries, sharing its chunks) into outdir: the ES module chunks,
 * and beside them the CommonJS file of SDK exports they load on first use, with its code cache.
 * The shipped bundle and the tests' bundle are built by this one function.
 */
export async function bundleCli(entryPoints: { [name: string]: string }, outdir: string): Promise<void> {
  const used = sdkImports();
  await Promise.all([
    build({
      ...COMMON,
      entryPoints,
      outdir,
      outExtension: { ".js": ".mjs" },
      // Each command's modules in chunks of their own, loaded when the command runs.
      splitting: true,
      format: "esm",
      // Bundled CommonJS packages (ajv), the standalone validator and the stand-ins call require().
      banner: {
        js: "import { createRequire as __parityRequire } from 'node:module'; const require = __parityRequire(import.meta.url);",
      },
      plugins: [lazySdkPlugin(used), precompiledValidatorPlugin()],
    }),
    build({
      ...COMMON,
      stdin: { contents: sdkEntry(used), resolveDir: ROOT, sourcefile: "aws-sdk-entry.js", loader: "js" },
      outfile: join(outdir, SDK_FILE),
      format: "cjs",
      footer: { js: "module.exports = module.exports.default;" },
      plugins: [builtinsRequiredPlugin()],
    }),
  ]);
  writeCodeCache(ROOT, join(outdir, SDK_FILE));
}

if (process.argv[1] && relative(process.argv[1], import.meta.filename) === "") {
  const outdir = join(ROOT, "dist/cli");
  // Chunk names carry content hashes: an earlier build's would otherwise ship alongside.
  rmSync(outdir, { recursive: true, force: true });
  await bundleCli({ parity: "src/cli/main.ts" }, outdir);
}
