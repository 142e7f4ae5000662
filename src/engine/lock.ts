/** Who holds an environment's apply lock; stored with the lock so a second apply can name them. */
export type LockHolder = {
  /** user@host */
  who: string;
  /** The CI run's URL, or the directory apply ran in. */
  where: string;
  /** ISO time the lock was taken. */
  since: string;
  /** sha256 of the saved plan being applied; for `apply FILE`, of the configuration. */
  planDigest: string;
  /** The host name and process id, so a run on the same host can tell that the holder died. */
  host?: string;
  pid?: number;
  /**
   * Which process table `pid` belongs to (on Linux: the boot id and the pid namespace), so two
   * containers that share a host name never judge each other's processes; absent elsewhere.
   */
  processSpace?: string;
};

/**
 * The lock as stored: the holder, the run's token (which makes the lock this run's and nobody
 * else's) and the time of its last heartbeat. Locks written by older versions have neither.
 */
export type LockRecord = LockHolder & { token?: string; heartbeat?: string };

/** `tookOver`: the lock was abandoned (its holder died or stopped beating) and this run took it. */
export type LockResult =
  { ok: true; tookOver?: { from: LockRecord; why: string } } | { ok: false; holder: LockRecord };

/**
 * One apply at a time per project, environment and region. Taking it is atomic (of two applies
 * started together exactly one wins) and idempotent for the run's own token; the store lives
 * with the provider.
 */
export type Lock = {
  /** What is locked, e.g. `khorium/staging/us-west-1`. */
  name: string;
  /**
   * Takes the lock and keeps it fresh with a heartbeat until `release`. `onLost` is called if a
   * heartbeat finds the lock no longer ours (taken over while this run was stalled, or removed
   * with `unlock --force`); `now` is who holds it instead, if anyone.
   */
  acquire(holder: LockHolder, onLost?: (now: LockRecord | undefined) => void): Promise<LockResult>;
  /** Releases the lock this run took; leaves alone one that was broken and taken by someone else. */
  release(): Promise<void>;
  /** The current holder, if the lock is taken (for `parity unlock`). */
  holder(): Promise<LockRecord | undefined>;
  /** Deletes the lock whoever holds it (`parity unlock --force`). */
  breakLock(): Promise<void>;
};

export type Whereabouts = {
  user: string;
  host: string;
  pid: number;
  processSpace?: string;
  cwd: string;
  now: Date;
};

export function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The holder record for this process; a GitHub Actions run is named by its URL. */
export function lockHolder(
  env: { [name: string]: string | undefined },
  at: Whereabouts,
  planDigest: string,
): LockHolder {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return {
    who: `${at.user}@${at.host}`,
    where: server && repo && run ? `${server}/${repo}/actions/runs/${run}` : at.cwd,
    since: isoSeconds(at.now),
    planDigest,
    host: at.host,
    pid: at.pid,
    ...(at.processSpace ? { processSpace: at.processSpace } : {}),
  };
}

function whoAndPid(holder: LockHolder): string {
  return holder.pid === undefined ? holder.who : `${holder.who} (pid ${holder.pid})`;
}

export function describeHolder(name: string, holder: LockRecord): string {
  const plan = holder.planDigest ? `plan ${holder.planDigest.slice(0, 6)}…, ` : "";
  const beat = holder.heartbeat ? `, last heartbeat ${holder.heartbeat}` : "";
  return `${name} is locked by ${whoAndPid(holder)} since ${holder.since}${beat} (${plan}${holder.where})`;
}

/** The refusal a second apply prints; it says how to recover from a run that is dead elsewhere. */
export function lockedMessage(name: string, holder: LockRecord, file: string): string {
  return `${describeHolder(name, holder)}; if that run is dead: parity unlock ${file} --force`;
}

/** The one line a run prints when it takes over an abandoned lock: whose it was, and why it was free. */
export function takeoverMessage(name: string, from: LockRecord, why: string): string {
  return `Took over the lock on ${name} from ${whoAndPid(from)}, held since ${from.since}: ${why}.`;
}

/** The line a run prints when its heartbeat finds the lock gone to someone else. */
export function lostMessage(name: string, now: LockRecord | undefined): string {
  const to = now ? `taken over by ${whoAndPid(now)}` : "removed (parity unlock --force?)";
  return `the lock on ${name} was ${to} while this apply held it; starting nothing new`;
}
