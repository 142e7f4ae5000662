import { paginateDescribeParameters, paginateGetParametersByPath } from "@aws-sdk/client-ssm";
import type { Parameter } from "@aws-sdk/client-ssm";
import pLimit from "p-limit";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim, ClaimRules } from "../common/adoption.js";
import { identityTags, ownershipOf, ownershipTags } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { rememberLiveSecret } from "./live.js";
import { TYPE, parameterSpec } from "./schema.js";
import { listTags } from "./tagging.js";
import { isSecretSpec, keyAddress, keyUnder, normalisePath, parameterName } from "./values.js";

/**
 * Why a parameter is in the observed set, for the plan's notes on deletions:
 * `owned` carries this environment's tags; `untracked` sits under the managed path without them;
 * `outside` carries our tags but lies outside the current path (the path was changed).
 */
export type Origin = "owned" | "untracked" | "outside";

/** Tags are read one parameter per call (SSM has no batch read of tags): keep a few in flight. */
const TAG_READS_IN_PARALLEL = 4;

/** A key of the file's path as it lives in Parameter Store, with the tags that say whose it is. */
type FoundKey = {
  parameter: Parameter;
  name: string;
  path: string;
  key: string;
  tags: TagMap;
  owned: boolean;
};

/** A parameter of ours outside the file's path: only its name and type are known. */
type Leftover = { name: string; type: string; tags: TagMap };

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
 * left under an old path after `appEnv.path` changed. The filter names every part of the
 * environment's identity it can (SSM cannot filter on a tag's absence, so without a project a
 * parameter of a project of the same name matches too: `exact` says whether a match proves it ours).
 */
async function ownedParameters(
  ctx: AwsContext,
  env: EnvironmentInfo,
): Promise<{ owned: Map<string, string>; exact: boolean }> {
  const owned = new Map<string, string>();
  const filters = Object.entries(identityTags(env)).map(([key, value]) => ({
    Key: `tag:${key}`,
    Option: "Equals",
    Values: [value],
  }));
  const pages = paginateDescribeParameters({ client: ctx.ssm, pageSize: 50 }, { ParameterFilters: filters });
  for await (const page of pages) {
    for (const p of page.Parameters ?? []) if (p.Name) owned.set(p.Name, p.Type ?? "String");
  }
  return { owned, exact: env.project !== undefined };
}

/** `fileCallsSecret`: a value the file calls secret is masked even if it is stored as plain text today. */
function keyNode(found: FoundKey, owner: Claim, fileCallsSecret: boolean): ObservedNode {
  const { parameter, name } = found;
  const secret = parameter.Type === "SecureString" || fileCallsSecret;
  const origin: Origin = found.owned ? "owned" : "untracked";
  const node: ObservedNode = {
    type: TYPE,
    ...claimed(owner),
    group: owner.address,
    id: name,
    attributes: {
      name,
      type: parameter.Type ?? "String",
      value: secret ? { $sensitive: true } : (parameter.Value ?? ""),
    },
    // The version says which value an instance received (appEnv.deliver), without the value.
    outputs: { name, version: parameter.Version ?? 0 },
    details: { path: found.path, origin },
  };
  if (secret) rememberLiveSecret(node, parameter.Value ?? "");
  return node;
}

function leftoverNode(leftover: Leftover, address: string): ObservedNode {
  const { name, type } = leftover;
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
}

const byId = (a: ObservedNode, b: ObservedNode) => a.id.localeCompare(b.id);

/**
 * Batched discovery: one GetParametersByPath walk per path (values) and one DescribeParameters
 * (ownership). Tags are read one by one only for parameters under the path that are not ours
 * (to refuse another environment's) and for ours outside it (to confirm they are appEnv keys).
 */
export async function observeParameters(
  ctx: AwsContext,
  nodes: DesiredNode[],
  env: EnvironmentInfo,
): Promise<ObservedNode[]> {
  const specs = nodes.map((n) => parameterSpec(n));
  const paths = [...new Set(specs.map((s) => normalisePath(s.path)))];
  const secretInFile = new Set(specs.filter((s) => isSecretSpec(s.value)).map(parameterName));
  const wanted = wantedBy(nodes, (n) => parameterName(parameterSpec(n)));
  const [underPaths, { owned, exact }] = await Promise.all([
    Promise.all(paths.map(async (path) => ({ path, parameters: await readPath(ctx, path) }))),
    ownedParameters(ctx, env),
  ]);
  const limit = pLimit(TAG_READS_IN_PARALLEL);
  const protectedKeys = new Set(nodes.filter((n) => n.protect).map((n) => parameterName(parameterSpec(n))));

  const listed = underPaths.flatMap(({ path, parameters }) =>
    parameters.flatMap((parameter) => {
      const name = parameter.Name ?? "";
      const key = keyUnder(name, path);
      return key ? [{ parameter, name, path, key }] : [];
    }),
  );
  const keys = await Promise.all(
    listed.map((found) =>
      limit(async (): Promise<FoundKey> => {
        const isOurs = owned.has(found.name);
        // The filtered listing proved ours carry the environment's identity, and parity tags a key
        // with the address its name implies: no read needed for the file's unprotected keys. Keys
        // the file protects or dropped are read: their recorded protection decides their deletion.
        const known = isOurs && exact && wanted.has(found.name) && !protectedKeys.has(found.name);
        const tags = known ? ownershipTags(env, keyAddress(found.key)) : await listTags(ctx, found.name);
        return { ...found, tags, owned: isOurs };
      }),
    ),
  );
  // The path is the file's: a nobody's key under it that the file does not list is removed.
  const untracked = keys
    .filter((k) => !wanted.has(k.name) && ownershipOf(k.tags, env).status === "unmanaged")
    .map((k) => ({ item: k, claim: { address: keyAddress(k.key), managed: true, protect: false } }));
  const found = [...claim(keys, claimRules<FoundKey>(wanted, env)), ...untracked]
    .map(({ item, claim: owner }) => keyNode(item, owner, secretInFile.has(item.name)))
    .sort(byId);

  const seen = new Set(listed.map((k) => k.name));
  const outside = await Promise.all(
    [...owned.entries()]
      .filter(([name]) => !seen.has(name))
      .map(([name, type]) =>
        limit(async (): Promise<Leftover> => ({ name, type, tags: await listTags(ctx, name) })),
      ),
  );
  // A leftover must not take an address the file uses: that key now lives under the new path.
  const used = new Set([...found.map((n) => n.address), ...nodes.map((n) => n.address)]);
  const leftovers = claim(outside, claimRules<Leftover>(wanted, env))
    // The environment may own other parameters (a lock): only appEnv keys are ours here.
    .filter(({ claim: owner }) => owner.managed && owner.address.startsWith("appEnv.values."))
    .map(({ item, claim: owner }) =>
      leftoverNode(item, used.has(owner.address) ? `${owner.address} (${item.name})` : owner.address),
    )
    .sort(byId);
  return [...found, ...leftovers];
}

/** Parameters are adopted by name; a refusal names the parameter. */
function claimRules<T extends { name: string; tags: TagMap }>(
  wanted: Map<string, string>,
  env: EnvironmentInfo,
): ClaimRules<T> {
  return {
    tagsOf: (p) => p.tags,
    keyOf: (p) => p.name,
    labelOf: (p) => `parameter ${p.name}`,
    wanted,
    env,
  };
}
