import { AddTagsToResourceCommand, DeleteParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import type { ParameterType } from "@aws-sdk/client-ssm";
import type { Kind, KindProblem, Operation, Outputs, ResourceType } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { ownedElsewhere, ownership, ownershipTags, toAwsTags } from "../tags.js";
import { liveSecretEquals } from "./live.js";
import { TYPE, listTags, observeParameters } from "./observe.js";
import { appEnvSchema } from "./schema.js";
import {
  MAX_VALUE_BYTES,
  isSecretSpec,
  keyAddress,
  normalisePath,
  parameterName,
  parameterSpec,
  plainText,
  scrubbed,
} from "./values.js";

/** What PutParameter writes: a secret from the environment (never from attributes), or the resolved text. */
function valueToWrite(op: Operation): { value: string; type: ParameterType; secrets: string[] } {
  const spec = parameterSpec(op.node!.spec);
  if (isSecretSpec(spec.value)) {
    const secret = op.env.secrets[spec.value.fromEnv];
    if (!secret) throw new Error(`${spec.value.fromEnv} is not set in the environment`);
    return { value: secret, type: "SecureString", secrets: [secret] };
  }
  return { value: String(op.desired?.value ?? ""), type: "String", secrets: [] };
}

/** Runs a call that carries a secret; any error comes back with the secret cut out. */
async function guarded<T>(secrets: string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (secrets.length === 0) throw error;
    throw scrubbed(error, secrets);
  }
}

async function overwrite(ctx: AwsContext, op: Operation): Promise<void> {
  const { value, type, secrets } = valueToWrite(op);
  // Overwrite cannot carry Tags (ValidationException): ownership tags are written separately.
  await guarded(secrets, () =>
    ctx.ssm.send(
      new PutParameterCommand({
        Name: op.observed?.id ?? parameterName(parameterSpec(op.node!.spec)),
        Value: value,
        Type: type,
        Overwrite: true,
      }),
    ),
  );
}

async function tag(ctx: AwsContext, op: Operation, name: string): Promise<void> {
  const node = op.node!;
  const tags = { ...op.env.tags, ...ownershipTags(op.env, node.address, node.protect) };
  await ctx.ssm.send(
    new AddTagsToResourceCommand({ ResourceType: "Parameter", ResourceId: name, Tags: toAwsTags(tags) }),
  );
}

export const parameterType: ResourceType<AwsContext> = {
  type: TYPE,
  replaceOn: [],

  notes(change, observed) {
    if (change.action !== "delete") return [];
    const path = String(observed?.details?.path ?? "");
    switch (observed?.details?.origin) {
      case "untracked":
        return [`not in the file, and under the managed path ${path}`];
      case "outside":
        return [`left under ${path}, outside the current appEnv.path`];
      default:
        return [`under the managed path ${path}`];
    }
  },

  plannedOutputs(node) {
    return { name: parameterName(parameterSpec(node.spec)) };
  },

  desired(node, resolver, observed) {
    const spec = parameterSpec(node.spec);
    const name = parameterName(spec);
    if (isSecretSpec(spec.value)) {
      const secret = resolver.env.secrets[spec.value.fromEnv];
      if (secret === undefined) {
        return {
          attributes: { name, type: "SecureString", value: { $sensitive: true, changed: true } },
          sensitive: ["value"],
          errors: [
            {
              message: `${spec.value.fromEnv} is not set in the environment`,
              hint: "export it before running parity",
            },
          ],
        };
      }
      // Compared here, against a value kept out of the observed node: the plan learns only whether it differs.
      const same = observed ? liveSecretEquals(observed, secret) : false;
      return {
        attributes: { name, type: "SecureString", value: { $sensitive: true, changed: same !== true } },
        sensitive: ["value"],
      };
    }
    const raw = spec.value;
    const value: Value =
      typeof raw === "string" && raw.includes("${") ? resolver.interpolate(raw) : plainText(raw);
    const errors =
      typeof value === "string" && Buffer.byteLength(value) > MAX_VALUE_BYTES
        ? [
            {
              message: `the value is ${Buffer.byteLength(value)} bytes; Parameter Store's standard tier holds at most ${MAX_VALUE_BYTES}`,
            },
          ]
        : [];
    return { attributes: { name, type: "String", value }, ...(errors.length ? { errors } : {}) };
  },

  observe: observeParameters,

  async create(ctx, op) {
    const node = op.node!;
    const name = parameterName(parameterSpec(node.spec));
    const { value, type, secrets } = valueToWrite(op);
    const tags = { ...op.env.tags, ...ownershipTags(op.env, node.address, node.protect) };
    try {
      // Created with its ownership tags in the same call.
      await guarded(secrets, () =>
        ctx.ssm.send(
          new PutParameterCommand({
            Name: name,
            Value: value,
            Type: type,
            Overwrite: false,
            Tags: toAwsTags(tags),
          }),
        ),
      );
    } catch (error) {
      if (!isAwsError(error, "ParameterAlreadyExists")) throw error;
      // A re-run after an interruption, or someone wrote it since the plan: take it only if it is not another's.
      const live = await listTags(ctx, name);
      const owner = ownership(live, op.env);
      if (ownedElsewhere(live, op.env) || (owner.managed && owner.address !== node.address)) {
        throw new Error(`parameter ${name} already exists and belongs to another environment or key`);
      }
      await overwrite(ctx, op);
      await tag(ctx, op, name);
    }
    return { name };
  },

  async update(ctx, op) {
    await overwrite(ctx, op);
    return op.observed?.outputs as Outputs;
  },

  async adopt(ctx, op) {
    const name = op.observed!.id;
    await tag(ctx, op, name);
    if (op.change.attributes.length > 0) await overwrite(ctx, op);
    return { name };
  },

  async delete(ctx, op) {
    const name = op.observed?.id ?? op.change.id ?? "";
    await tolerate(() => ctx.ssm.send(new DeleteParameterCommand({ Name: name })), "ParameterNotFound");
  },
};

/** One node per key, so the plan lists keys added, changed and removed one by one. */
function expand(_address: string, spec: { [key: string]: Value }) {
  const path = normalisePath(String(spec.path));
  const values = isPlainObject(spec.values) ? spec.values : {};
  return Object.entries(values).map(([key, value]) => ({
    address: keyAddress(key),
    type: TYPE,
    group: keyAddress(key),
    spec: { path, key, value },
  }));
}

/** A secret's variable must be set before anything changes; its value is never echoed. */
function check(
  _address: string,
  spec: { [key: string]: Value },
  env: { secrets: { [name: string]: string | undefined } },
): KindProblem[] {
  const values = isPlainObject(spec.values) ? spec.values : {};
  const problems: KindProblem[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!isSecretSpec(value)) continue;
    const secret = env.secrets[value.fromEnv];
    if (secret === undefined) {
      problems.push({
        path: ["values", key],
        message: `${value.fromEnv} is not set in the environment`,
        hint: "export it before running parity",
      });
    } else if (secret === "") {
      problems.push({
        path: ["values", key],
        message: `${value.fromEnv} is empty`,
        hint: "Parameter Store cannot hold an empty value",
      });
    } else if (Buffer.byteLength(secret) > MAX_VALUE_BYTES) {
      problems.push({
        path: ["values", key],
        message: `${value.fromEnv} is ${Buffer.byteLength(secret)} bytes; Parameter Store's standard tier holds at most ${MAX_VALUE_BYTES}`,
      });
    }
  }
  return problems;
}

export const appEnv: Kind<AwsContext> = {
  key: "appEnv",
  shape: "single",
  schema: appEnvSchema,
  outputs: [],
  expand,
  types: [parameterType],
  check,
};
