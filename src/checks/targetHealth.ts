import type { Attempt, CheckDeps, TargetHealthCheckSpec } from "./types.js";

/** One read of a target group's health; passes when at least `minHealthy` (default 1) targets are healthy. */
export async function attemptTargetHealth(spec: TargetHealthCheckSpec, deps: CheckDeps): Promise<Attempt> {
  if (!deps.resolveTargetGroupArn || !deps.countHealthy) {
    return { ok: false, detail: "target health cannot be read here", final: true };
  }
  const arn = await deps.resolveTargetGroupArn(spec.targetGroup);
  if (!arn)
    return {
      ok: false,
      detail: `${spec.targetGroup} does not exist (has the file been applied?)`,
      final: true,
    };
  const need = spec.minHealthy ?? 1;
  const { healthy, total } = await deps.countHealthy(arn);
  const detail = `${healthy} of ${total} target${total === 1 ? "" : "s"} healthy${healthy < need ? ` (need ${need})` : ""}`;
  return { ok: healthy >= need, detail };
}
