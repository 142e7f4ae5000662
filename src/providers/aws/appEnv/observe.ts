import {
  GetParametersCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
} from "@aws-sdk/client-ssm";
import type { Parameter } from "@aws-sdk/client-ssm";
import pLimit from "p-limit";
import type { EnvironmentInfo } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../model/index.js";
import { claim, claimed, wantedBy } from "../common/adoption.js";
import type { Claim, ClaimRules } from "../common/adoption.js";
import { ownershipOf } from "../common/ownership.js";
import { environmentResources, resourcesOf } from "../common/tagged.js";
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

/** GetParameters reads at most this many names a call. */
const NAMES_PER_CALL = 10;

/** DescribeParameters' largest page (moto answers 10 a page whatever is asked). */
const NAMES_PER_PAGE = 50;

/** GetParametersByPath's largest page. */
const VALUES_PER_PAGE = 10;

/**
 * A path whose file declares at most this many keys is read whole with GetParametersByPath:
 * names and values in one listing, at most three pages in a row. A larger one is listed by name
 * (DescribeParameters, fifty a page) while its values are read ten a call in parallel, so the
 * round trips stay few however many keys it holds.
 */
const READ_WHOLE_UP_TO = 30;

/** `arn:aws:ssm:region:account:parameter/app/staging/KEY` is `/app/staging/KEY`. */
const PARAMETER_ARN = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter\/(.+\/.+)$/;

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

/** The parameters of these names, values decrypted, in parallel calls of ten. */
async function readValues(ctx: AwsContext, names: string[]): Promise<Map<string, Parameter>> {
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) batches.push(names.slice(i, i + NAMES_PER_CALL));
  const answers = await Promise.all(
    batches.map((Names) => ctx.ssm.send(new GetParametersCommand({ Names, WithDecryption: true }))),
  );
  return new Map(answers.flatMap((a) => (a.Parameters ?? []).map((p) => [p.Name ?? "", p] as const)));
}

/**
 * The names (and types) of the parameters directly under a path, without their values: whoever
 * put them there, since the path is the file's (a key someone added by hand is removed).
 */
async function namesUnder(ctx: AwsContext, path: string): Promise<{ name: string; type: string }[]> {
  const out: { name: string; type: string }[] = [];
  const filters = [{ Key: "Path", Option: "OneLevel", Values: [path.replace(/(.)\/$/, "$1")] }];
  const pages = paginateDescribeParameters(
    { client: ctx.ssm, pageSize: NAMES_PER_PAGE },
    { ParameterFilters: filters },
  );
  for await (const page of pages) {
    for (const p of page.Parameters ?? []) if (p.Name) out.push({ name: p.Name, type: p.Type ?? "String" });
  }
  return out;
}

/** Every parameter directly under a path, values decrypted: its names and values in one listing. */
async function parametersUnder(ctx: AwsContext, path: string): Promise<Parameter[]> {
  const out: Parameter[] = [];
  const pages = paginateGetParametersByPath(
    { client: ctx.ssm, pageSize: VALUES_PER_PAGE },
    { Path: path.replace(/(.)\/$/, "$1"), Recursive: false, WithDecryption: true },
  );
  for await (const page of pages) out.push(...(page.Parameters ?? []));
  return out;
}

/**
 * The parameters the tagging API lists with this environment's name, by name, with the tags it
 * saw: how ours are found wherever they are, the ones left under an old path after
 * `appEnv.path` changed included, without a read that grows with the account.
 */
async function taggedParameters(ctx: AwsContext, env: EnvironmentInfo): Promise<Map<string, TagMap>> {
  const tagged = resourcesOf(await environmentResources(ctx, env), "ssm", PARAMETER_ARN);
  return new Map(tagged.map(({ id, tags }) => [`/${id}`, tags]));
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
 * Batched discovery, every read at once: each path with everything under it (to find keys added
 * by hand too): whole, values included, when the file declares few keys there, else by name
 * (DescribeParameters) beside the file's keys (GetParameters, ten a call); and the tagging API's
 * list of ours. Values are read afterwards only for keys listed by name alone; tags one by
 * one only for keys under the path that are not ours (to refuse another environment's), for ones
 * the file protects or dropped, and for ours outside it (to confirm they are appEnv keys).
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
  const declaredUnder = (path: string) => [...wanted.keys()].filter((name) => keyUnder(name, path));
  const whole = paths.filter((path) => declaredUnder(path).length <= READ_WHOLE_UP_TO);
  const byName = paths.filter((path) => !whole.includes(path));
  const readWhole = new Set(whole.flatMap(declaredUnder));
  const [wholePaths, namedPaths, tagged, values] = await Promise.all([
    Promise.all(whole.map(async (path) => ({ path, parameters: await parametersUnder(ctx, path) }))),
    Promise.all(byName.map(async (path) => ({ path, names: await namesUnder(ctx, path) }))),
    taggedParameters(ctx, env),
    readValues(
      ctx,
      [...wanted.keys()].filter((name) => !readWhole.has(name)),
    ),
  ]);
  for (const p of wholePaths.flatMap((w) => w.parameters)) if (p.Name) values.set(p.Name, p);
  const underPaths = [
    ...wholePaths.map(({ path, parameters }) => ({
      path,
      names: parameters.flatMap((p) => (p.Name ? [{ name: p.Name, type: p.Type ?? "String" }] : [])),
    })),
    ...namedPaths,
  ];
  const limit = pLimit(TAG_READS_IN_PARALLEL);
  const protectedKeys = new Set(nodes.filter((n) => n.protect).map((n) => parameterName(parameterSpec(n))));
  const isOurs = (name: string) => ownershipOf(tagged.get(name) ?? {}, env).status === "ours";

  const under = underPaths.flatMap(({ path, names }) =>
    names.flatMap(({ name }) => {
      const key = keyUnder(name, path);
      return key ? [{ name, path, key }] : [];
    }),
  );
  const unread = under.filter((k) => !values.has(k.name)).map((k) => k.name);
  if (unread.length > 0) for (const [name, p] of await readValues(ctx, unread)) values.set(name, p);
  const listed = under.flatMap((k) => {
    const parameter = values.get(k.name);
    // Deleted between the listing and the read: nothing to observe.
    return parameter ? [{ ...k, parameter }] : [];
  });
  const keys = await Promise.all(
    listed.map((found) =>
      limit(async (): Promise<FoundKey> => {
        const ours = isOurs(found.name);
        // The tagging API's tags of the file's unprotected keys of ours are enough. Keys the file
        // protects or dropped are read from SSM: their recorded protection decides their deletion.
        const known = ours && wanted.has(found.name) && !protectedKeys.has(found.name);
        const tags = known ? (tagged.get(found.name) ?? {}) : await listTags(ctx, found.name);
        return { ...found, tags, owned: ours };
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

  const seen = new Set(under.map((k) => k.name));
  const away = [...tagged.keys()].filter((name) => !seen.has(name) && isOurs(name));
  const [types, tagsAway] = await Promise.all([
    away.length > 0 ? readValues(ctx, away) : new Map<string, Parameter>(),
    Promise.all(away.map((name) => limit(() => listTags(ctx, name)))),
  ]);
  const outside = away.flatMap((name, i): Leftover[] => {
    const type = types.get(name)?.Type;
    return type ? [{ name, type, tags: tagsAway[i] ?? {} }] : [];
  });
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
