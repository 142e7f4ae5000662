import { DeleteParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import type { ParameterType } from "@aws-sdk/client-ssm";
import type { Operation, Outputs } from "../../../engine/types.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import { creationTags, toAwsTags, userTags } from "../common/ownership.js";
import { ensureTakeable } from "../common/rerun.js";
import type { AwsContext } from "../context.js";
import { isAwsError, tolerate } from "../errors.js";
import { parameterSpec } from "./schema.js";
import { listTags, parameterTagger } from "./tagging.js";
import { isSecretSpec, parameterName, scrubbed } from "./values.js";

/** What PutParameter writes: a secret from the environment (never from attributes), or the resolved text. */
function valueToWrite(op: Operation): { value: string; type: ParameterType; secrets: string[] } {
  const spec = parameterSpec(op.node!);
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

/** Writes the value; returns the version it became (what a delivery records instead of the value). */
async function overwrite(ctx: AwsContext, op: Operation, name: string): Promise<number> {
  const { value, type, secrets } = valueToWrite(op);
  // Overwrite cannot carry Tags (ValidationException): ownership tags are written separately.
  const put = await guarded(secrets, () =>
    ctx.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true })),
  );
  return put.Version ?? 0;
}

export async function createParameter(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const node = op.node!;
  const name = parameterName(parameterSpec(node));
  const { value, type, secrets } = valueToWrite(op);
  const tags = creationTags(op.env, node);
  try {
    // Created with its ownership tags in the same call.
    const put = await guarded(secrets, () =>
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
    return { name, version: put.Version ?? 0 };
  } catch (error) {
    if (!isAwsError(error, "ParameterAlreadyExists")) throw error;
    // A re-run after an interruption, or someone wrote it since the plan: take it only if it is not another's.
    ensureTakeable(`parameter ${name}`, await listTags(ctx, name), op);
    const version = await overwrite(ctx, op, name);
    await parameterTagger(ctx, name, tags, {});
    return { name, version };
  }
}

/** Writes the value only when it differs: a new version would make every instance receive the file again. */
export async function updateParameter(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const observed = op.observed!;
  if (!op.change.attributes.some((a) => a.path === "value" || a.path === "type")) return observed.outputs;
  return { ...observed.outputs, version: await overwrite(ctx, op, observed.id) };
}

/**
 * After the claim, the environment's tags: a parameter has no tags attribute for an update to
 * converge (observe never reads the tags of ours), so they are written when it becomes ours.
 * The value is written only if it differs: adopting an equal key only tags it.
 */
async function convergeAdopted(ctx: AwsContext, op: Operation): Promise<Outputs> {
  await syncTags(ctx, parameterTagger, { ...op, desired: { ...op.desired, tags: userTags(op.env) } });
  return op.change.attributes.length > 0 ? updateParameter(ctx, op) : op.observed!.outputs;
}

export const adoptParameter = claimThenUpdate(parameterTagger, convergeAdopted);

export async function deleteParameter(ctx: AwsContext, op: Operation): Promise<void> {
  const name = op.observed?.id ?? op.change.id ?? "";
  await tolerate(() => ctx.ssm.send(new DeleteParameterCommand({ Name: name })), "ParameterNotFound");
}
