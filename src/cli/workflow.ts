import { loadEnvironment } from "../config/index.js";
import type { ReadFile } from "../config/index.js";
import { applyPlan } from "../engine/apply.js";
import type { ApplyResult } from "../engine/apply.js";
import { discover, typeOrder, typesOf } from "../engine/discover.js";
import { computePlan } from "../engine/plan.js";
import type { DesiredState, EnvironmentInfo, EventSink, Facts } from "../engine/types.js";
import type { Diagnostic, Environment, ObservedNode, Plan } from "../model/index.js";
import { AwsContext, awsProvider, describeAwsFailure } from "../providers/aws/index.js";

export type ConnectionOptions = {
  region?: string;
  endpoint?: string;
  onCall?: (service: string, operation: string) => void;
};

export type Loaded = { environment: Environment; info: EnvironmentInfo };

export type PlanSession = Loaded & {
  ctx: AwsContext;
  plan: Plan;
  observed: ObservedNode[];
  facts: Facts;
  desired: Map<string, DesiredState>;
  /** Resources that cannot be planned (a certificate that does not exist): never apply then. */
  errors: Diagnostic[];
};

export const kinds = awsProvider.kinds;

export function load(
  file: string,
  options: { region?: string; read?: ReadFile; secrets?: EnvironmentInfo["secrets"] } = {},
): { loaded?: Loaded; diagnostics: Diagnostic[] } {
  const result = loadEnvironment(file, {
    kinds: kinds as never[],
    ...(options.region ? { region: options.region } : {}),
    ...(options.read ? { read: options.read } : {}),
    secrets: options.secrets ?? process.env,
  });
  if (!result.environment || !result.info) return { diagnostics: result.diagnostics };
  return { loaded: { environment: result.environment, info: result.info }, diagnostics: result.diagnostics };
}

/** Discovers live state and computes the plan: read-only. */
export async function planLoaded(loaded: Loaded, connection: ConnectionOptions): Promise<PlanSession> {
  const ctx = new AwsContext(
    {
      region: loaded.info.region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      ...(connection.onCall ? { onCall: connection.onCall } : {}),
    },
    loaded.info,
  );
  try {
    const { observed, facts } = await discover(awsProvider, ctx, loaded.environment, loaded.info);
    const { plan, desired, errors } = computePlan({
      env: loaded.info,
      nodes: loaded.environment.nodes,
      observed,
      facts,
      types: typesOf(awsProvider),
    });
    return { ...loaded, ctx, plan, observed, facts, desired, errors };
  } catch (error) {
    ctx.destroy();
    throw describeAwsFailure(error, connection.endpoint);
  }
}

export type ApplyOptions = {
  concurrency?: number;
  events?: EventSink;
  stop?: AbortSignal;
  abandonWaits?: AbortSignal;
  allowDestroy?: boolean;
  noWait?: boolean;
};

export async function applySession(session: PlanSession, options: ApplyOptions = {}): Promise<ApplyResult> {
  return applyPlan({
    ctx: session.ctx,
    plan: session.plan,
    nodes: session.environment.nodes,
    observed: session.observed,
    facts: session.facts,
    types: typesOf(awsProvider),
    typeOrder: typeOrder(awsProvider),
    env: session.info,
    concurrency: options.concurrency ?? 10,
    events: options.events ?? (() => {}),
    ...(options.stop ? { stop: options.stop } : {}),
    ...(options.abandonWaits ? { abandonWaits: options.abandonWaits } : {}),
    allowDestroy: options.allowDestroy === true,
    noWait: options.noWait === true,
  });
}
