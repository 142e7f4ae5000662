import { loadEnvironment } from "../config/index.js";
import type { ReadFile } from "../config/index.js";
import { applyPlan } from "../engine/apply.js";
import type { ApplyResult } from "../engine/apply.js";
import { discover, typeOrder, typesOf } from "../engine/discover.js";
import { relocate } from "../engine/moves.js";
import { computePlan } from "../engine/plan.js";
import { targetPlan } from "../engine/targeting.js";
import type { DesiredState, EnvironmentInfo, EventSink, Facts } from "../engine/types.js";
import type { Diagnostic, Environment, ObservedNode, Plan, PlannedEnvironment } from "../model/index.js";
import {
  AwsContext,
  awsProvider,
  describeAwsFailure,
  describeAwsFailureLine,
} from "../providers/aws/index.js";
import type { AwsOptions, AwsTimeouts } from "../providers/aws/index.js";
import { checkWiring } from "../engine/wiring.js";
import type { CertificateNames } from "../engine/wiring.js";

export type ConnectionOptions = {
  region?: string;
  endpoint?: string;
  /** Credentials from this profile rather than the default chain's (`compare --profile-a`). */
  profile?: string;
  onCall?: (service: string, operation: string) => void;
  /** The run's: aborting it abandons every call in flight (see interruption.ts). */
  signal?: AbortSignal;
  /** Shorter than the defaults in tests, so a call that never answers costs seconds. */
  timeouts?: Partial<AwsTimeouts>;
  /** `compare`'s: read the live shape a plan does not need too (see AwsOptions). */
  fullShape?: boolean;
};

/** The AWS context options for one region of a connection. */
export function awsOptions(region: string, connection: ConnectionOptions): AwsOptions {
  return {
    region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(connection.onCall ? { onCall: connection.onCall } : {}),
    ...(connection.signal ? { signal: connection.signal } : {}),
    ...(connection.timeouts ? { timeouts: connection.timeouts } : {}),
    ...(connection.fullShape ? { fullShape: true } : {}),
  };
}

/**
 * What plan and apply work from: the planned environment, and, when it was loaded from a file, the
 * file's text (for wiring checks and digests). A saved plan brings the first without the second.
 */
export type Loaded = {
  environment: PlannedEnvironment;
  info: EnvironmentInfo;
  text?: Pick<Environment, "document" | "locations">;
};

export type PlanSession = Loaded & {
  ctx: AwsContext;
  plan: Plan;
  observed: ObservedNode[];
  facts: Facts;
  desired: Map<string, DesiredState>;
  /** Resources that cannot be planned (a certificate that does not exist): never apply then. */
  errors: Diagnostic[];
  /** Wiring findings (also in plan.warnings); `--strict` makes them stop the run. */
  wiring: Diagnostic[];
  /** The --target/--exclude the plan was narrowed by, so a re-plan after apply looks at the same part. */
  scope: PlanScope;
};

/** `--target` and `--exclude` addresses (see engine/targeting.ts), and `--replace`'s. */
export type PlanScope = { targets?: string[]; excludes?: string[]; replace?: string[] };

export const kinds = awsProvider.kinds;

/** What the config layer needs from the registry: the kinds' schemas and expansions, and the checks' schema. */
export const registered = {
  kinds: kinds as never[],
  checks: awsProvider.checks,
  ...(awsProvider.checkRegion ? { checkRegion: awsProvider.checkRegion } : {}),
};

export function load(
  file: string,
  options: { region?: string; read?: ReadFile; secrets?: EnvironmentInfo["secrets"] } = {},
): { loaded?: Loaded; diagnostics: Diagnostic[] } {
  const result = loadEnvironment(file, {
    ...registered,
    ...(options.region ? { region: options.region } : {}),
    ...(options.read ? { read: options.read } : {}),
    secrets: options.secrets ?? process.env,
  });
  if (!result.environment || !result.info) return { diagnostics: result.diagnostics };
  const { document, locations, ...environment } = result.environment;
  return {
    loaded: { environment, info: result.info, text: { document, locations } },
    diagnostics: result.diagnostics,
  };
}

/**
 * The kinds' wiring rules over a loaded file's nodes (DESIGN.md "Wiring checks"); none for a saved
 * plan, whose findings were reported when it was made.
 */
export function wiringFindings(
  loaded: Loaded,
  options: { certificates?: CertificateNames | undefined; strict?: boolean } = {},
): Diagnostic[] {
  if (!loaded.text) return [];
  return checkWiring({
    nodes: loaded.environment.nodes,
    rules: kinds.flatMap((k) => k.wiring ?? []),
    region: loaded.info.region,
    locations: loaded.text.locations,
    ...(options.certificates ? { certificates: options.certificates } : {}),
    strict: options.strict === true,
  });
}

/** Discovers live state and computes the plan (narrowed to `scope`, with wiring warnings): read-only. */
export async function planLoaded(
  loaded: Loaded,
  connection: ConnectionOptions,
  scope: PlanScope = {},
): Promise<PlanSession> {
  const ctx = new AwsContext(awsOptions(loaded.info.region, connection), loaded.info);
  try {
    const discovered = await discover(awsProvider, ctx, loaded.environment, loaded.info);
    // Every later step (plan, apply, the re-plan) sees live resources where `moved` puts them.
    const observed = relocate(discovered.observed, loaded.info.moves);
    const facts = discovered.facts;
    const computed = computePlan({
      env: loaded.info,
      nodes: loaded.environment.nodes,
      observed,
      facts,
      types: typesOf(awsProvider),
      ...(scope.replace?.length ? { replace: scope.replace } : {}),
    });
    const { plan, desired, errors } = computed;
    const wiring = wiringFindings(loaded, { certificates: awsProvider.certificateNames?.(facts) });
    const narrowed = targetPlan(plan, loaded.environment.nodes, scope.targets ?? [], scope.excludes ?? []);
    const warnings = [...narrowed.plan.warnings, ...wiring, ...narrowed.warnings];
    const scoped = { ...narrowed.plan, warnings };
    return { ...loaded, ctx, plan: scoped, observed, facts, desired, errors, wiring, scope };
  } catch (error) {
    ctx.destroy();
    throw describeAwsFailure(error, connection.endpoint, "reading");
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
    describeFailure: (error) => describeAwsFailureLine(error, session.ctx.options.endpoint),
  });
}
