import { hostname, userInfo } from "node:os";
import { lockedMessage, lockHolder, lostMessage, takeoverMessage } from "../engine/lock.js";
import type { Lock, LockHolder } from "../engine/lock.js";
import { configDigest } from "../engine/digest.js";
import { AwsContext, describeAwsFailure } from "../providers/aws/index.js";
import { ssmLock } from "../providers/aws/lock.js";
import type { CommandContext } from "./context.js";
import type { Output } from "./output.js";
import { isRunning, processSpace } from "./processes.js";
import { awsOptions, load } from "./workflow.js";
import type { ConnectionOptions, Loaded } from "./workflow.js";

/** How long releasing the lock may take before parity gives up and says how to unlock by hand. */
export const RELEASE_DEADLINE_MS = 10_000;

/**
 * The apply lock of a loaded environment. Its calls are not the run's: abandoning the run's calls
 * (SIGTERM) must not stop the release. `during` chooses what may abandon the lock's calls for a
 * while (the run's abort while taking it, a deadline while releasing it); `close()` frees its client.
 */
export type EnvironmentLock = {
  lock: Lock;
  during<T>(abandonWhen: AbortSignal, body: () => Promise<T>): Promise<T>;
  close(): void;
};

export function environmentLock(loaded: Loaded, connection: ConnectionOptions): EnvironmentLock {
  let current: AbortSignal | undefined;
  const { signal: _runs, ...own } = connection;
  const { project, environment, region } = loaded.info;
  const ctx = new AwsContext({ ...awsOptions(region, own), signal: () => current }, loaded.info);
  const scope = { ...(project ? { project } : {}), environment, region };
  return {
    lock: ssmLock(ctx, scope, { isRunning }),
    async during(abandonWhen, body) {
      const before = current;
      current = abandonWhen;
      try {
        return await body();
      } finally {
        current = before;
      }
    },
    close: () => ctx.destroy(),
  };
}

function user(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers often run as a uid with no passwd entry.
    return process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
}

export function currentHolder(planDigest: string): LockHolder {
  const space = processSpace();
  return lockHolder(
    process.env,
    {
      user: user(),
      host: hostname(),
      pid: process.pid,
      ...(space ? { processSpace: space } : {}),
      cwd: process.cwd(),
      now: new Date(),
    },
    planDigest,
  );
}

/**
 * Runs `body` holding the lock; exit 3 naming the holder when someone else has it. The lock is
 * released however `body` ends: an interrupted run unwinds to here too (interruption.ts). `body`
 * gets a signal that aborts if the lock is lost while it runs: it must then start nothing new,
 * and the run never exits 0.
 */
export async function withLock(
  held: EnvironmentLock,
  holder: LockHolder,
  file: string,
  context: CommandContext,
  body: (lockLost: AbortSignal) => Promise<number>,
): Promise<number> {
  const { output } = context;
  const { lock } = held;
  const lost = new AbortController();
  const onLost: Parameters<Lock["acquire"]>[1] = (now) => {
    output.err(`${output.palette.remove("error:")} ${lostMessage(lock.name, now)}`);
    lost.abort();
  };
  let taken: Awaited<ReturnType<Lock["acquire"]>>;
  try {
    taken = await held.during(context.interruption.abort, () => lock.acquire(holder, onLost));
  } catch (error) {
    // Interrupted while the lock was written, or a takeover failed half-way: if the lock is ours, free it.
    await release(held, file, output, true);
    throw describeAwsFailure(error, context.connection.endpoint, "reading");
  }
  if (!taken.ok) {
    output.err(`${output.palette.remove("error:")} ${lockedMessage(lock.name, taken.holder, file)}`);
    return 3;
  }
  if (taken.tookOver) output.err(takeoverMessage(lock.name, taken.tookOver.from, taken.tookOver.why));
  try {
    const code = await body(lost.signal);
    return lost.signal.aborted && code === 0 ? 1 : code;
  } finally {
    const released = await release(held, file, output);
    if (released && context.interruption.received())
      output.err(`Released the lock on ${lock.name}. Running apply again resumes.`);
  }
}

/** Releases within RELEASE_DEADLINE_MS; on failure says how to unlock by hand (unless `quiet`). */
async function release(held: EnvironmentLock, file: string, output: Output, quiet = false): Promise<boolean> {
  const deadline = AbortSignal.timeout(RELEASE_DEADLINE_MS);
  try {
    await held.during(deadline, () => held.lock.release());
    return true;
  } catch (error) {
    const why = deadline.aborted
      ? `no answer within ${RELEASE_DEADLINE_MS / 1000} s`
      : describeAwsFailure(error, undefined).message;
    if (!quiet)
      output.err(
        `${output.palette.remove("error:")} could not release the lock on ${held.lock.name} (${why}); run: parity unlock ${file} --force`,
      );
    return false;
  }
}

/**
 * `apply FILE` under the file's environment lock, taken before planning so the plan cannot be
 * made from a state another apply is still changing. A file that does not load is reported by `body`.
 */
export async function withFileLock(
  file: string,
  context: CommandContext,
  body: (lockLost?: AbortSignal) => Promise<number>,
): Promise<number> {
  const { loaded } = load(file, context.global.region ? { region: context.global.region } : {});
  if (!loaded) return body();
  const held = environmentLock(loaded, context.connection);
  try {
    const digest = loaded.text ? configDigest(loaded.text.document, loaded.info.region) : "";
    return await withLock(held, currentHolder(digest), file, context, body);
  } finally {
    held.close();
  }
}
