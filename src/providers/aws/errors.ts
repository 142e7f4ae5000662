/** The SDK's error name (`InvalidGroup.NotFound`, `LoadBalancerNotFoundException`…), or "". */
export function awsErrorName(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  return String(e.Code ?? e.name ?? e.code ?? "");
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error);
  return names.some((n) => name === n || name === `${n}Exception` || name === `${n}Fault`);
}

/** Runs a call, treating the listed errors as "nothing to do" (delete of something already gone). */
export async function tolerate<T>(call: () => Promise<T>, ...names: string[]): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isAwsError(error, ...names)) return undefined;
    throw error;
  }
}
