import pLimit from "p-limit";
import type { Change, DesiredNode, ObservedNode, Plan, Value } from "../model/index.js";
import { containsUnknown, isActive, reportedAction } from "../model/index.js";
import { creationOrder } from "./graph.js";
import { keepIgnored, keptMembers } from "./ignore.js";
import { makeResolver } from "./resolver.js";
import type {
  EnvironmentInfo,
  EventSink,
  Facts,
  Operation,
  Outputs,
  Resolver,
  ResourceType,
} from "./types.js";

export type ApplyInput<Ctx> = {
  ctx: Ctx;
  plan: Plan;
  nodes: DesiredNode[];
  observed: ObservedNode[];
  facts: Facts;
  types: Map<string, ResourceType<Ctx>>;
  /** Registry order of types; deletions of later types run before earlier ones. */
  typeOrder: string[];
  env: EnvironmentInfo;
  concurrency: number;
  events: EventSink;
  /** Aborted on the first Ctrl-C: start nothing new. */
  stop?: AbortSignal;
  /** Aborted on the second Ctrl-C: abandon waits. */
  abandonWaits?: AbortSignal;
  allowDestroy?: boolean;
  noWait?: boolean;
  /** One line for a failed operation; the provider knows its errors (which call, what to do). */
  describeFailure?: (error: unknown) => string;
};

export type ApplyResult = {
  done: string[];
  failed: { address: string; error: string }[];
  skipped: { address: string; because: string }[];
  notStarted: string[];
};

type Status = "pending" | "running" | "done" | "failed" | "skipped" | "not-started";

/** Which changes must finish before each change may start. */
export function dependencies(changes: Change[], typeOrder: string[]): Map<string, string[]> {
  const rank = (kind: string) => typeOrder.indexOf(kind);
  const deps = new Map<string, string[]>();
  for (const change of changes) {
    let before: Change[];
    if (change.action !== "delete") {
      // After what it references has been created or updated.
      before = changes.filter((o) => o.action !== "delete" && change.dependsOn.includes(o.group));
    } else {
      // After everything that used it has let go: what the file still has that references it, and
      // what is deleted too and recorded that it was made after it. Only where either of two
      // deletions has no record does the kinds' order stand in for one.
      before = changes.filter(
        (o) =>
          o !== change &&
          ((o.action !== "delete" && o.dependsOn.includes(change.group)) ||
            (o.action === "delete" &&
              (o.dependsOnRecorded && change.dependsOnRecorded
                ? // Groups that name each other (two security groups' rules) cannot both go first.
                  o.dependsOn.includes(change.group) &&
                  o.group !== change.group &&
                  !change.dependsOn.includes(o.group)
                : rank(o.kind) > rank(change.kind) || o.dependsOn.includes(change.group)))),
      );
    }
    deps.set(
      change.address,
      before.map((o) => o.address),
    );
  }
  return deps;
}

/**
 * The second steps of resources whose type has `laterReferences` naming a resource this apply
 * creates (or itself, when it is created): each runs after the resource and everything it names.
 */
function laterSteps<Ctx>(
  changes: Change[],
  nodes: DesiredNode[],
  types: Map<string, ResourceType<Ctx>>,
): { key: string; change: Change; after: string[] }[] {
  const byAddress = new Map(nodes.map((n) => [n.address, n]));
  const rebuilt = changes.filter((c) => c.action === "create" || c.action === "replace");
  return changes.flatMap((change) => {
    const type = types.get(change.kind);
    const node = byAddress.get(change.address);
    if (change.action === "delete" || !type?.laterReferences || !type.completeLater || !node) return [];
    const named = new Set(node.refersTo ?? []);
    const waitFor = rebuilt.filter((c) => named.has(c.group)).map((c) => c.address);
    if (waitFor.length === 0) return [];
    return [{ key: `${change.address} (second step)`, change, after: [change.address, ...waitFor] }];
  });
}

/**
 * Walks the plan's graph: independent operations run concurrently up to the limit, a failure
 * skips only its dependents, and everything else still finishes.
 */
export async function applyPlan<Ctx>(input: ApplyInput<Ctx>): Promise<ApplyResult> {
  const changes = input.plan.changes.filter(isActive);
  const deps = dependencies(changes, input.typeOrder);
  const later = laterSteps(changes, input.nodes, input.types);
  const laterKeys = new Set(later.map((step) => step.change.address));
  for (const step of later) deps.set(step.key, step.after);
  const tasks: { key: string; change: Change; later: boolean }[] = [
    ...changes.map((change) => ({ key: change.address, change, later: false })),
    ...later.map((step) => ({ key: step.key, change: step.change, later: true })),
  ];
  const status = new Map<string, Status>(tasks.map((t) => [t.key, "pending"]));
  const result: ApplyResult = { done: [], failed: [], skipped: [], notStarted: [] };
  const nodesByAddress = new Map(input.nodes.map((n) => [n.address, n]));
  const observedById = new Map(input.observed.map((o) => [`${o.type}:${o.id}`, o]));
  const limit = pLimit(Math.max(1, input.concurrency));
  const ordered = creationOrder(input.nodes);
  const abandon = input.abandonWaits ?? new AbortController().signal;
  const describe = input.describeFailure ?? ((e: unknown) => (e instanceof Error ? e.message : String(e)));

  // Live outputs: seeded from what exists and is kept, replaced as operations finish.
  const outputs = new Map<string, Outputs>();
  const rebuilding = new Set(
    changes.filter((c) => c.action === "create" || c.action === "replace").map((c) => c.address),
  );
  // Two live resources can answer to one address (a create whose answer was lost, then retried):
  // the plan keeps one and deletes the others, so only the kept one's outputs may feed dependents.
  const deleted = new Set(changes.filter((c) => c.action === "delete").map((c) => `${c.kind}:${c.id}`));
  const managedSeed = new Set<string>();
  for (const obs of input.observed) {
    if (!obs.address || rebuilding.has(obs.address) || deleted.has(`${obs.type}:${obs.id}`)) continue;
    // The same choice as computePlan: the first one seen, unless a managed one comes after an unmanaged one.
    if (outputs.has(obs.address) && (managedSeed.has(obs.address) || !obs.managed)) continue;
    outputs.set(obs.address, obs.outputs);
    if (obs.managed) managedSeed.add(obs.address);
  }
  const kept = keptMembers(input.nodes, input.observed);
  const resolver = () => {
    const byGroup = new Map<string, { [key: string]: Value }[]>();
    for (const node of ordered) {
      if (kept.skip.has(node.address)) continue;
      const list = byGroup.get(node.group) ?? [];
      list.push(
        outputs.get(node.address) ?? input.types.get(node.type)?.plannedOutputs?.(node, input.env) ?? {},
      );
      // The same members as the plan saw: an ignored `count` keeps the live ones beyond the file's.
      if (list.length === 1) list.push(...(kept.extras.get(node.group) ?? []).map((o) => o.outputs));
      byGroup.set(node.group, list);
    }
    return makeResolver(byGroup, input.facts, input.env);
  };

  /** What a type's operation gets: the change, its entry and live state, and the run's settings. */
  const operationFor = (
    change: Change,
    node: DesiredNode | undefined,
    observed: ObservedNode | undefined,
    currentResolver: Resolver,
  ): Operation => ({
    change,
    ...(node ? { node } : {}),
    ...(observed ? { observed } : {}),
    env: input.env,
    facts: input.facts,
    resolver: currentResolver,
    progress: (text) => input.events({ type: "progress", address: change.address, message: text }),
    signal: abandon,
    allowDestroy: input.allowDestroy === true,
    noWait: input.noWait === true,
  });

  const run = async (change: Change): Promise<void> => {
    const type = input.types.get(change.kind);
    if (!type) throw new Error(`no resource type "${change.kind}" is registered`);
    const node = nodesByAddress.get(change.address);
    const observed = change.id ? observedById.get(`${change.kind}:${change.id}`) : undefined;
    const currentResolver = resolver();
    const op = operationFor(change, node, observed, currentResolver);
    if (node && change.action !== "delete") {
      let attributes = type.desired(node, currentResolver, observed).attributes;
      // What a later reference still leaves unknown is done by the second step (see laterSteps).
      if (containsUnknown(attributes) && type.withoutUnknown && laterKeys.has(change.address)) {
        attributes = type.withoutUnknown(attributes);
      }
      if (containsUnknown(attributes)) {
        throw new Error("a value it depends on is still unknown after its dependencies were applied");
      }
      // What the file leaves to another writer keeps its live value: an update never writes it back.
      const fresh = change.action === "create" || change.action === "replace";
      op.desired = fresh ? attributes : keepIgnored(attributes, observed?.attributes, node.ignoreChanges);
    }
    let produced: Outputs | undefined;
    switch (change.action) {
      case "create":
        produced = await type.create(input.ctx, op);
        break;
      case "update":
        produced = await type.update(input.ctx, op);
        break;
      case "adopt":
        if (!type.adopt) throw new Error(`${change.kind} resources cannot be adopted`);
        produced = await type.adopt(input.ctx, op);
        break;
      case "replace":
        if (type.replace) produced = await type.replace(input.ctx, op);
        else {
          await type.delete(input.ctx, op);
          produced = await type.create(input.ctx, op);
        }
        break;
      case "delete":
        await type.delete(input.ctx, op);
        break;
      case "no-op":
        // Moved and otherwise unchanged: the update only re-tags it at its new address.
        if (change.movedFrom !== undefined) produced = await type.update(input.ctx, op);
        break;
    }
    if (produced) outputs.set(change.address, produced);
  };

  const runLater = async (change: Change): Promise<void> => {
    const type = input.types.get(change.kind);
    const node = nodesByAddress.get(change.address);
    if (!type?.completeLater || !node) return;
    const currentResolver = resolver();
    const observed = change.id ? observedById.get(`${change.kind}:${change.id}`) : undefined;
    const desired = type.desired(node, currentResolver, observed).attributes;
    if (containsUnknown(desired)) {
      throw new Error("a value it refers to is still unknown after the resources it names were applied");
    }
    const op = { ...operationFor(change, node, undefined, currentResolver), desired };
    await type.completeLater(input.ctx, op, outputs.get(change.address) ?? {});
  };

  await new Promise<void>((resolveAll) => {
    const startWhatIsReady = () => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const task of tasks) {
          const { key, change } = task;
          const action = reportedAction(change);
          if (status.get(key) !== "pending") continue;
          const blockers = deps.get(key) ?? [];
          // A second step reports under its resource's address, and only what went wrong.
          const report = !task.later;
          if (input.stop?.aborted) {
            status.set(key, "not-started");
            if (!result.notStarted.includes(change.address)) result.notStarted.push(change.address);
            progressed = true;
            continue;
          }
          const broken = blockers.find((b) =>
            ["failed", "skipped", "not-started"].includes(status.get(b) ?? ""),
          );
          if (broken) {
            status.set(key, "skipped");
            // The resource itself failing already says all there is to say.
            if (broken !== change.address) {
              const because = status.get(broken) === "failed" ? `${broken} failed` : `${broken} did not run`;
              result.skipped.push({ address: change.address, because });
              input.events({ type: "skipped", address: change.address, action, because });
            }
            progressed = true;
            continue;
          }
          if (blockers.every((b) => status.get(b) === "done")) {
            status.set(key, "running");
            progressed = true;
            void limit(async () => {
              if (input.stop?.aborted) {
                status.set(key, "not-started");
                if (!result.notStarted.includes(change.address)) result.notStarted.push(change.address);
                return;
              }
              const started = Date.now();
              if (report) input.events({ type: "start", address: change.address, action });
              try {
                await (task.later ? runLater(change) : run(change));
                status.set(key, "done");
                if (report) {
                  result.done.push(change.address);
                  input.events({
                    type: "done",
                    address: change.address,
                    action,
                    elapsedMs: Date.now() - started,
                  });
                }
              } catch (error) {
                status.set(key, "failed");
                const why = describe(error);
                result.failed.push({ address: change.address, error: why });
                input.events({
                  type: "failed",
                  address: change.address,
                  action,
                  error: why,
                  elapsedMs: Date.now() - started,
                });
              }
            }).then(startWhatIsReady);
          }
        }
      }
      const open = [...status.values()].some((s) => s === "pending" || s === "running");
      if (!open) resolveAll();
    };
    input.stop?.addEventListener("abort", startWhatIsReady, { once: true });
    startWhatIsReady();
  });
  return result;
}
