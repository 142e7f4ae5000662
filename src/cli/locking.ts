import { hostname, userInfo } from "node:os";
import { lockedMessage, lockHolder, lostMessage, takeoverMessage } from "../engine/lock.js";
import type { Lock, LockHolder } from "../engine/lock.js";
import { configDigest } from "../engine/digest.js";
import { AwsContext, describeAwsFailure } from "../providers/aws/index.js";
import { ssmLock } from "../providers/aws/lock.js";
import type { CommandContext } from "./context.js";
import type { Output } from "./output.js";
import { isRunning, processSpace } from "./processes.js";
import { load } from "./workflow.js";
import type { ConnectionOptions, Loaded } from "./workflow.js";

/** The apply lock of a loaded environment; `close()` frees its client. */
export function environmentLock(
  loaded: Loaded,
  connection: ConnectionOptions,
): { lock: Lock; close(): void } {
  const { project, environment, region } = loaded.info;
  const ctx = new AwsContext(
    {
      region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      ...(connection.onCall ? { onCall: connection.onCall } : {}),
    },
    loaded.info,
  );
  const scope = { ...(project ? { project } : {}), environment, region };
  return { lock: ssmLock(ctx, scope, { isRunning }), close: () => ctx.destroy() };
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
 * released however `body` ends, and on Ctrl-C or SIGTERM outside the apply walk (during the walk,
 * apply's own handler stops new work, the walk returns, and the `finally` releases). `body` gets a
 * signal that aborts if the lock is lost while it runs: it must then start nothing new.
 */
export async function withLock(
  lock: Lock,
  holder: LockHolder,
  file: string,
  context: CommandContext,
  body: (lockLost: AbortSignal) => Promise<number>,
): Promise<number> {
  const { output } = context;
  const lost = new AbortController();
  const onLost: Parameters<Lock["acquire"]>[1] = (now) => {
    output.err(`${output.palette.remove("error:")} ${lostMessage(lock.name, now)}`);
    lost.abort();
  };
  let taken: Awaited<ReturnType<Lock["acquire"]>>;
  try {
    taken = await lock.acquire(holder, onLost);
  } catch (error) {
    // A takeover that failed half-way may have left the lock ours: never leave it behind.
    await lock.release().catch(() => undefined);
    throw describeAwsFailure(error, context.connection.endpoint);
  }
  if (!taken.ok) {
    output.err(`${output.palette.remove("error:")} ${lockedMessage(lock.name, taken.holder, file)}`);
    return 3;
  }
  if (taken.tookOver) output.err(takeoverMessage(lock.name, taken.tookOver.from, taken.tookOver.why));
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    output.err("\nInterrupted: releasing the lock.");
    void release(lock, file, output).finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const code = await body(lost.signal);
    return lost.signal.aborted && code === 0 ? 1 : code;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await release(lock, file, output);
  }
}

async function release(lock: Lock, file: string, output: Output): Promise<void> {
  try {
    await lock.release();
  } catch (error) {
    output.err(
      `${output.palette.remove("error:")} could not release the lock on ${lock.name}: ${(error as Error).message}; run: parity unlock ${file} --force`,
    );
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
  const { lock, close } = environmentLock(loaded, context.connection);
  try {
    const digest = loaded.text ? configDigest(loaded.text.document, loaded.info.region) : "";
    return await withLock(lock, currentHolder(digest), file, context, body);
  } finally {
    close();
  }
}
