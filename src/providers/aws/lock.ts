import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { randomUUID } from "node:crypto";
import type { Lock, LockHolder } from "../../engine/lock.js";
import type { AwsContext } from "./context.js";
import { isAwsError, tolerate } from "./errors.js";

/** Outside any appEnv path, and never tagged, so no kind ever observes (or deletes) it. */
export function lockParameterName(environment: string, region: string): string {
  return `/parity/locks/${environment}/${region}`;
}

type Stored = LockHolder & { token?: string };

function parse(value: string | undefined, modified: Date | undefined): Stored {
  try {
    const v = JSON.parse(value ?? "") as Partial<Stored>;
    return {
      who: String(v.who ?? "someone"),
      where: String(v.where ?? "somewhere"),
      since: String(v.since ?? modified?.toISOString() ?? "an unknown time"),
      planDigest: String(v.planDigest ?? ""),
      ...(typeof v.token === "string" ? { token: v.token } : {}),
    };
  } catch {
    return {
      who: "someone",
      where: `unreadable lock value ${JSON.stringify(value ?? "")}`,
      since: modified?.toISOString() ?? "an unknown time",
      planDigest: "",
    };
  }
}

/**
 * The apply lock as an SSM parameter: PutParameter without Overwrite is atomic (in AWS and in
 * moto), so of two applies started together exactly one creates it.
 */
export function ssmLock(ctx: AwsContext, environment: string, region: string): Lock {
  const Name = lockParameterName(environment, region);
  // Marks the lock as this process's, so release never deletes a lock someone else took after --force.
  const token = randomUUID();

  const read = async (): Promise<Stored | undefined> => {
    const got = await tolerate(() => ctx.ssm.send(new GetParameterCommand({ Name })), "ParameterNotFound");
    return got?.Parameter ? parse(got.Parameter.Value, got.Parameter.LastModifiedDate) : undefined;
  };

  return {
    name: `${environment}/${region}`,
    async acquire(holder) {
      // Twice: the holder may release between our failed put and our read.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await ctx.ssm.send(
            new PutParameterCommand({
              Name,
              Type: "String",
              Overwrite: false,
              Value: JSON.stringify({ ...holder, token }),
              Description: `parity apply lock for ${environment} in ${region}; parity unlock removes it`,
            }),
          );
          return { ok: true };
        } catch (error) {
          if (!isAwsError(error, "ParameterAlreadyExists")) throw error;
        }
        const current = await read();
        if (current) {
          const { token: _token, ...shown } = current;
          return { ok: false, holder: shown };
        }
      }
      throw new Error(`could not take the lock ${Name}: it keeps changing hands`);
    },
    async release() {
      const current = await read();
      if (current?.token !== token) return;
      await tolerate(() => ctx.ssm.send(new DeleteParameterCommand({ Name })), "ParameterNotFound");
    },
    async holder() {
      const current = await read();
      if (!current) return undefined;
      const { token: _token, ...shown } = current;
      return shown;
    },
    async breakLock() {
      await tolerate(() => ctx.ssm.send(new DeleteParameterCommand({ Name })), "ParameterNotFound");
    },
  };
}
