import {
  ListTagsForResourceCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
} from "@aws-sdk/client-ssm";
import type { Parameter } from "@aws-sdk/client-ssm";
import pLimit from "p-limit";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { TAG_ADDRESS, TAG_ENVIRONMENT, fromAwsTags, ownedElsewhere } from "../tags.js";
import { rememberLiveSecret } from "./live.js";
import { isSecretSpec, keyAddress, keyUnder, normalisePath, parameterName, parameterSpec } from "./values.js";
import type { ParameterSpec } from "./values.js";

export const TYPE = "parameters";

/**
 * Why a parameter is in the observed set, for the plan's notes on deletions:
 * `owned` carries this environment's tags; `untracked` sits under the managed path without them;
 * `outside` carries our tags but lies outside the current path (the path was changed).
 */
export type Origin = "owned" | "untracked" | "outside";

/** Tags are read one parameter per call (SSM has no batch read of tags): keep a few in flight. */
const TAG_READS_IN_PARALLEL = 4;

export async function listTags(ctx: AwsContext, name: string): Promise<Record<string, string>> {
  const found = await ctx.ssm.send(
    new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name }),
  );
  return fromAwsTags(found.TagList);
}

/** Every parameter under the path, values decrypted (moto and AWS return ciphertext-ish text otherwise). */
async function readPath(ctx: AwsContext, path: string): Promise<Parameter[]> {
  const out: Parameter[] = [];
  const pages = paginateGetParametersByPath(
    // 10 is the API's maximum page size.
    { client: ctx.ssm, pageSize: 10 },
    { Path: path, Recursive: true, WithDecryption: true },
  );
  for await (const page of pages) out.push(...(page.Parameters ?? []));
  return out;
}

/**
 * The names (and types) of every parameter tagged for this environment, anywhere: one filtered,
 * paginated DescribeParameters instead of a tag read per parameter. It also finds parameters
 * left under an old path after `appEnv.path` changed.
 */
async function ownedParameters(ctx: AwsContext, env: EnvironmentInfo): Promise<Map<string, string>> {
  const owned = new Map<string, string>();
  const pages = paginateDescribeParameters(
    { client: ctx.ssm, pageSize: 50 },
    { ParameterFilters: [{ Key: `tag:${TAG_ENVIRONMENT}`, Option: "Equals", Values: [env.environment] }] },
  );
  for await (const page of pages) {
    for (const p of page.Parameters ?? []) if (p.Name) owned.set(p.Name, p.Type ?? "String");
  }
  return owned;
}

function parameterNode(
  parameter: Parameter,
  key: string,
  path: string,
  managed: boolean,
  fileSpec: ParameterSpec | undefined,
  origin: Origin,
): ObservedNode {
  const name = parameter.Name as string;
  // A value the file calls secret is masked even if it is stored as plain text today.
  const secret =
    parameter.Type === "SecureString" || (fileSpec !== undefined && isSecretSpec(fileSpec.value));
  const node: ObservedNode = {
    type: TYPE,
    address: keyAddress(key),
    group: keyAddress(key),
    id: name,
    managed,
    attributes: {
      name,
      type: parameter.Type ?? "String",
      value: secret ? { $sensitive: true } : (parameter.Value ?? ""),
    },
    outputs: { name },
    details: { path, origin },
  };
  if (secret) rememberLiveSecret(node, parameter.Value ?? "");
  return node;
}

/**
 * Batched discovery: one GetParametersByPath walk per path (values) and one DescribeParameters
 * (ownership). Tags are read one by one only for parameters under the path that are not ours
 * (to skip another environment's) and for ours outside it (to confirm they are appEnv keys).
 */
export async function observeParameters(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const specs = nodes.map((n) => parameterSpec(n.spec));
  const paths = [...new Set(specs.map((s) => normalisePath(s.path)))];
  const inFile = new Map(specs.map((s) => [parameterName(s), s]));
  const [underPaths, owned] = await Promise.all([
    Promise.all(paths.map(async (path) => ({ path, parameters: await readPath(ctx, path) }))),
    ownedParameters(ctx, env),
  ]);
  const limit = pLimit(TAG_READS_IN_PARALLEL);
  const seen = new Set<string>();

  const current = await Promise.all(
    underPaths.flatMap(({ path, parameters }) =>
      parameters.map((parameter) =>
        limit(async (): Promise<ObservedNode | undefined> => {
          const name = parameter.Name ?? "";
          const key = keyUnder(name, path);
          if (!key) return undefined;
          seen.add(name);
          const fileSpec = inFile.get(name);
          if (owned.has(name)) return parameterNode(parameter, key, path, true, fileSpec, "owned");
          if (ownedElsewhere(await listTags(ctx, name), env)) return undefined;
          // The path belongs to this file: a listed key is adopted, an unlisted one removed.
          return parameterNode(parameter, key, path, fileSpec === undefined, fileSpec, "untracked");
        }),
      ),
    ),
  );
  const found = current
    .filter((n): n is ObservedNode => n !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id));

  // A leftover must not take an address the file uses: that key now lives under the new path.
  const used = new Set([...found.map((n) => n.address), ...nodes.map((n) => n.address)]);
  const leftovers = await Promise.all(
    [...owned.entries()]
      .filter(([name]) => !seen.has(name))
      .map(([name, type]) =>
        limit(async (): Promise<ObservedNode | undefined> => {
          const tagged = (await listTags(ctx, name))[TAG_ADDRESS];
          // The environment may own other parameters (a lock): only appEnv keys are ours here.
          if (!tagged?.startsWith("appEnv.values.")) return undefined;
          const address = used.has(tagged) ? `${tagged} (${name})` : tagged;
          return {
            type: TYPE,
            address,
            group: address,
            id: name,
            managed: true,
            attributes: { name, type },
            outputs: { name },
            details: { path: name.slice(0, name.lastIndexOf("/") + 1), origin: "outside" },
          };
        }),
      ),
  );
  return [
    ...found,
    ...leftovers.filter((n): n is ObservedNode => n !== undefined).sort((a, b) => a.id.localeCompare(b.id)),
  ];
}
