/**
 * Reads many resources with one call: keys asked for while a read is gathering share it. Every
 * waiting operation of a kind polls through one of these, so 200 instances being launched cost one
 * DescribeInstances per poll, not 200 (the cost on AWS is its request rate, not the bytes).
 */
export type BatchRead<V> = (keys: string[]) => Promise<Map<string, V>>;

type Pending<V> = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[];

export type Batcher<V> = { read(key: string): Promise<V | undefined> };

/**
 * `gatherMs`: how long a read waits for others to join it; small beside the seconds between
 * polls, so no wait is slowed noticeably. `maxKeys`: the most one call may ask for.
 */
export function batcher<V>(
  readMany: BatchRead<V>,
  options: { gatherMs: number; maxKeys: number },
): Batcher<V> {
  let gathering = new Map<string, Pending<V>>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = async (batch: Map<string, Pending<V>>) => {
    const keys = [...batch.keys()];
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += options.maxKeys) chunks.push(keys.slice(i, i + options.maxKeys));
    await Promise.all(
      chunks.map(async (chunk) => {
        try {
          const found = await readMany(chunk);
          for (const key of chunk) for (const waiter of batch.get(key) ?? []) waiter.resolve(found.get(key));
        } catch (error) {
          for (const key of chunk) for (const waiter of batch.get(key) ?? []) waiter.reject(error);
        }
      }),
    );
  };

  return {
    read(key) {
      return new Promise((resolve, reject) => {
        const waiters = gathering.get(key) ?? [];
        waiters.push({ resolve, reject });
        gathering.set(key, waiters);
        timer ??= setTimeout(() => {
          const batch = gathering;
          gathering = new Map();
          timer = undefined;
          void flush(batch);
        }, options.gatherMs);
      });
    },
  };
}

/** One batcher per owner (an AWS context) and purpose, made on first use. */
export function batcherOf<O extends object, V>(
  cache: WeakMap<O, Batcher<V>>,
  owner: O,
  make: () => Batcher<V>,
): Batcher<V> {
  let found = cache.get(owner);
  if (!found) {
    found = make();
    cache.set(owner, found);
  }
  return found;
}

/**
 * A poll schedule for waits that share a batched read: the wait after `polls` unanswered polls,
 * doubling from `firstMs` and never above `maxMs`. Quick answers are seen quickly, and a long wait
 * (an instance that takes minutes) costs a few reads a minute instead of twenty.
 */
export function backoff(firstMs: number, maxMs: number, factor = 2): (polls: number) => number {
  return (polls) => Math.min(maxMs, firstMs * factor ** Math.max(0, polls - 1));
}
