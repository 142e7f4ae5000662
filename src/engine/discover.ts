import type { ObservedNode, PlannedEnvironment } from "../model/index.js";
import type { EnvironmentInfo, Facts, Provider, ResourceType } from "./types.js";

export function typesOf<Ctx>(provider: Provider<Ctx>): Map<string, ResourceType<Ctx>> {
  return new Map(provider.kinds.flatMap((k) => k.types).map((t) => [t.type, t]));
}

/** Registry order of types: the order kinds are created in; deletions run the other way. */
export function typeOrder<Ctx>(provider: Provider<Ctx>): string[] {
  return provider.kinds.flatMap((k) => k.types.map((t) => t.type));
}

/**
 * Reads live state: environment facts first, then every type's lookups and batched observation
 * in parallel. Read-only by contract.
 */
export async function discover<Ctx>(
  provider: Provider<Ctx>,
  ctx: Ctx,
  env: PlannedEnvironment,
  info: EnvironmentInfo,
): Promise<{ observed: ObservedNode[]; facts: Facts }> {
  const types = [...typesOf(provider).values()];
  const nodesOf = (type: string) => env.nodes.filter((n) => n.type === type);
  const [envFacts, looked, observed] = await Promise.all([
    provider.lookup(ctx, env),
    Promise.all(types.map(async (t) => (await t.lookup?.(ctx, nodesOf(t.type), info)) ?? {})),
    Promise.all(types.map((t) => t.observe(ctx, nodesOf(t.type), info))),
  ]);
  const facts: Facts = Object.assign({}, envFacts, ...looked);
  return { observed: observed.flat(), facts };
}
