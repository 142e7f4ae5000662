import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import type { Lock } from "../../engine/lock.js";
import { storeLock } from "../../engine/storeLock.js";
import type { LockStore, StoreLockOptions } from "../../engine/storeLock.js";
import type { AwsContext } from "./context.js";
import { isAwsError, tolerate } from "./errors.js";

/** What one lock covers: a project's environment in one region (the project is optional). */
export type LockScope = { project?: string; environment: string; region: string };

function scopePath(scope: LockScope): string {
  return [scope.project, scope.environment, scope.region].filter((p) => p !== undefined).join("/");
}

/** Outside any appEnv path, and never tagged, so no kind ever observes (or deletes) it. */
export function lockParameterName(scope: LockScope): string {
  return `/parity/locks/${scopePath(scope)}`;
}

/** Beside the locks, under the same `/parity/` prefix an IAM policy grants. */
export function takeoverParameterName(scope: LockScope, staleToken: string, attempt: number): string {
  return `/parity/takeovers/${scopePath(scope)}/${staleToken}/${attempt}`;
}

/** SSM Parameter Store as a lock store: PutParameter without Overwrite is atomic, in AWS and in moto. */
function ssmStore(ctx: AwsContext, label: string): LockStore {
  return {
    async create(Name, Value) {
      try {
        await ctx.ssm.send(
          new PutParameterCommand({
            Name,
            Value,
            Type: "String",
            Overwrite: false,
            Description: `parity apply lock for ${label} (or a takeover of it in progress); parity unlock removes the lock`,
          }),
        );
        return true;
      } catch (error) {
        if (isAwsError(error, "ParameterAlreadyExists")) return false;
        throw error;
      }
    },
    async read(Name) {
      const got = await tolerate(() => ctx.ssm.send(new GetParameterCommand({ Name })), "ParameterNotFound");
      const p = got?.Parameter;
      return p?.Value === undefined
        ? undefined
        : { value: p.Value, ...(p.LastModifiedDate ? { modified: p.LastModifiedDate } : {}) };
    },
    async overwrite(Name, Value) {
      await ctx.ssm.send(new PutParameterCommand({ Name, Value, Type: "String", Overwrite: true }));
    },
    async remove(Name) {
      await tolerate(() => ctx.ssm.send(new DeleteParameterCommand({ Name })), "ParameterNotFound");
    },
  };
}

/** The apply lock as an SSM parameter (see engine/storeLock.ts for how it is taken and kept). */
export function ssmLock(ctx: AwsContext, scope: LockScope, options: StoreLockOptions): Lock {
  const label = scopePath(scope);
  return storeLock(
    ssmStore(ctx, label),
    {
      lock: lockParameterName(scope),
      takeover: (staleToken, attempt) => takeoverParameterName(scope, staleToken, attempt),
    },
    label,
    options,
  );
}
