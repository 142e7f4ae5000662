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
};

export type LockResult = { ok: true } | { ok: false; holder: LockHolder };

/**
 * One apply at a time per environment and region. Taking it must be atomic (two applies started
 * together: exactly one wins); the store lives with the provider.
 */
export type Lock = {
  /** What is locked, e.g. `staging/us-west-1`. */
  name: string;
  acquire(holder: LockHolder): Promise<LockResult>;
  /** Releases the lock this process took; leaves alone one that was broken and taken by someone else. */
  release(): Promise<void>;
  /** The current holder, if the lock is taken (for `parity unlock`). */
  holder(): Promise<LockHolder | undefined>;
  /** Deletes the lock whoever holds it (`parity unlock --force`). */
  breakLock(): Promise<void>;
};

export type Whereabouts = { user: string; host: string; cwd: string; now: Date };

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
    since: at.now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    planDigest,
  };
}

export function describeHolder(name: string, holder: LockHolder): string {
  const plan = holder.planDigest ? `plan ${holder.planDigest.slice(0, 6)}…, ` : "";
  return `${name} is locked by ${holder.who} since ${holder.since} (${plan}${holder.where})`;
}

/** The refusal a second apply prints; it says how to recover from a dead run. */
export function lockedMessage(name: string, holder: LockHolder, file: string): string {
  return `${describeHolder(name, holder)}; if that run is dead: parity unlock ${file} --force`;
}
