import type {
  Action,
  Attrs,
  Change,
  DesiredNode,
  Diagnostic,
  ObservedNode,
  Plan,
  Value,
} from "../model/index.js";
import { containsUnknown, isPlainObject, isSensitive, summarize } from "../model/index.js";
import { compareAttributes } from "./compare.js";
import { creationOrder, groupOf } from "./graph.js";
import { keptMembers } from "./ignore.js";
import { checkMovesLive, movedAddress } from "./moves.js";
import { makeResolver } from "./resolver.js";
import { replacementPaths } from "./schema.js";
import { addressMatches } from "./targeting.js";
import type { DesiredState, EnvironmentInfo, Facts, ResourceType } from "./types.js";

export type PlanInput<Ctx> = {
  env: EnvironmentInfo;
  nodes: DesiredNode[];
  observed: ObservedNode[];
  facts: Facts;
  types: Map<string, ResourceType<Ctx>>;
  /** `--replace ADDR`: resources replaced although nothing forces it. */
  replace?: string[];
};

function typeOf<Ctx>(types: Map<string, ResourceType<Ctx>>, name: string): ResourceType<Ctx> {
  const type = types.get(name);
  if (!type) throw new Error(`no resource type "${name}" is registered`);
  return type;
}

/** What forces a type's replacement: its schema's annotated attributes, plus the computed ones it names. */
export function replaceOn<Ctx>(type: ResourceType<Ctx>): string[] {
  return [...(type.schema ? replacementPaths(type.schema) : []), ...(type.replaceOn ?? [])];
}

/** Replaces every value the type declared sensitive, so no rendering or saved plan can leak it. */
function mask(attrs: Attrs | null, sensitive: string[] | undefined, prefix = ""): Attrs | null {
  if (!attrs || !sensitive?.length) return attrs;
  const out: Attrs = {};
  for (const [key, value] of Object.entries(attrs)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const masked = sensitive.some((s) => path === s || path.startsWith(s + "."));
    // A Sensitive marker holds no value: keep it whole, so its `changed` flag still renders.
    if (masked) out[key] = isSensitive(value) ? value : { $sensitive: true };
    else if (isPlainObject(value)) out[key] = mask(value, sensitive, path) as Value;
    else out[key] = value;
  }
  return out;
}

/** Why `--replace` gives for the action it forces; also what the plan says of the replacement. */
export const REPLACEMENT_REQUESTED = "replacement requested";

function chooseAction(
  observed: ObservedNode | undefined,
  forcesReplacement: boolean,
  changed: boolean,
): Action {
  if (!observed) return "create";
  if (forcesReplacement) return "replace";
  if (!observed.managed) return "adopt";
  return changed ? "update" : "no-op";
}

function reasonFor(
  action: Action,
  observed: ObservedNode | undefined,
  forcing: string[],
): string | undefined {
  if (action === "replace") return `${forcing.join(", ")} changed`;
  if (action === "adopt") return `exists untagged as ${observed?.id}`;
  return undefined;
}

/**
 * The pure core: desired × observed → plan. No I/O; the same inputs always give the same plan.
 * Also returns each node's desired state, which apply re-resolves once unknowns are known.
 */
export function computePlan<Ctx>(input: PlanInput<Ctx>): {
  plan: Plan;
  desired: Map<string, DesiredState>;
  /** Resources that cannot be planned; a plan with errors must not be applied. */
  errors: Diagnostic[];
} {
  const { env, types } = input;
  const observedByAddress = new Map<string, ObservedNode>();
  const duplicates: ObservedNode[] = [];
  for (const obs of input.observed) {
    if (!obs.address) continue;
    const seen = observedByAddress.get(obs.address);
    if (!seen || (!seen.managed && obs.managed)) {
      if (seen?.managed) duplicates.push(seen);
      observedByAddress.set(obs.address, obs);
    } else if (obs.managed) duplicates.push(obs);
  }

  const kept = keptMembers(input.nodes, input.observed);
  const requested = (address: string) => (input.replace ?? []).some((p) => addressMatches(p, address));
  const outputsByGroup = new Map<string, { [key: string]: Value }[]>();
  const desiredStates = new Map<string, DesiredState>();
  const planned: { node: DesiredNode; change: Change; problems: Diagnostic[] }[] = [];

  const planNode = (node: DesiredNode, resolver: ReturnType<typeof makeResolver>) => {
    const type = typeOf(types, node.type);
    const observed = observedByAddress.get(node.address);
    const state = type.desired(node, resolver, observed);
    desiredStates.set(node.address, state);
    const problems = [...(state.errors ?? [])];
    if (observed?.foreign) {
      problems.unshift({
        message: `${observed.foreign.what} belongs to ${observed.foreign.owner}`,
        hint: "give this environment's resource its own name",
      });
    }
    // An ignored path is another writer's: never compared, so never planned ("" is all of it).
    const ignored = node.ignoreChanges ?? [];
    const attributes = ignored.includes("")
      ? []
      : compareAttributes(state.attributes, observed?.attributes, {
          replaceOn: replaceOn(type),
          sensitive: state.sensitive,
          deferred: state.deferred,
          bookkeeping: [...(state.bookkeeping ?? []), ...ignored],
        });
    const changedForcing = attributes.filter((a) => a.forcesReplacement).map((a) => a.path);
    const forced = observed !== undefined && requested(node.address);
    const forcing = forced && changedForcing.length === 0 ? [REPLACEMENT_REQUESTED] : changedForcing;
    const action = chooseAction(observed, forcing.length > 0, attributes.length > 0);
    const replacesUnmanaged = action === "replace" && observed !== undefined && !observed.managed;
    if (replacesUnmanaged && !node.replaceUnmanaged) problems.push(unmanagedReplacement(observed, forcing));
    const why =
      forced && changedForcing.length === 0 ? REPLACEMENT_REQUESTED : `${forcing.join(", ")} changed`;
    const reason = replacesUnmanaged
      ? `${why}; parity did not create ${observed.id}`
      : action === "replace"
        ? why
        : reasonFor(action, observed, forcing);
    const change: Change = {
      address: node.address,
      kind: node.type,
      group: node.group,
      action,
      ...(reason ? { reason } : {}),
      ...(observed ? { id: observed.id } : {}),
      before: mask(observed ? observed.attributes : null, state.sensitive),
      after: mask(state.attributes, state.sensitive),
      attributes: action === "create" ? [] : attributes,
      dependsOn: node.dependsOn,
      ...(observed?.movedFrom !== undefined && action !== "replace" ? { movedFrom: observed.movedFrom } : {}),
      protected: node.protect || observed?.protect === true,
      risks: [],
      notes: [],
    };
    const stale = staleRecord(node, observed);
    if (stale && change.action === "no-op" && change.movedFrom === undefined) change.action = "update";
    const notes = stale && change.action !== "replace" ? [...(state.notes ?? []), stale] : state.notes;
    const judged = withConsequences(change, type, observed, notes);
    return {
      node,
      change: replacesUnmanaged ? { ...judged, risks: [...judged.risks, "unmanaged" as const] } : judged,
      problems: problems.map((problem): Diagnostic => ({
        severity: "error",
        ...(node.location ? { location: node.location } : {}),
        path: node.address,
        message: problem.message,
        ...(problem.hint ? { hint: problem.hint } : {}),
      })),
      known:
        observed && action !== "replace"
          ? (type.outputsAfter?.(change, observed.outputs) ?? observed.outputs)
          : (type.plannedOutputs?.(node, env) ?? {}),
    };
  };

  for (const node of creationOrder(input.nodes)) {
    if (kept.skip.has(node.address)) continue;
    const { known, ...result } = planNode(node, makeResolver(outputsByGroup, input.facts, env));
    planned.push(result);
    const list = outputsByGroup.get(node.group) ?? [];
    list.push(known);
    // Members an ignored `count` keeps answer references to their group like the file's own.
    if (list.length === 1) list.push(...(kept.extras.get(node.group) ?? []).map((o) => o.outputs));
    outputsByGroup.set(node.group, list);
  }
  // References that are not creation edges (a rule naming its own or a later group) resolve only
  // once every node's outputs are known: plan those nodes again against all of them. Their own
  // outputs cannot change, since what such a reference feeds never forces replacement.
  const everything = makeResolver(outputsByGroup, input.facts, env);
  for (const [i, entry] of planned.entries()) {
    const type = typeOf(types, entry.node.type);
    if (!type.laterReferences || !containsUnknown(desiredStates.get(entry.node.address)?.attributes ?? {}))
      continue;
    const { known: _same, ...again } = planNode(entry.node, everything);
    planned[i] = again;
  }
  const changes = planned.map((p) => p.change);
  const moveFindings = checkMovesLive(env.moves, input.nodes, input.observed);
  const errors = [
    ...planned.flatMap((p) => p.problems),
    ...moveFindings.filter((d) => d.severity === "error"),
  ];

  const desiredAddresses = new Set([
    ...input.nodes.map((n) => n.address),
    ...[...kept.extras.values()].flat().map((o) => o.address as string),
  ]);
  const orphans = input.observed.filter(
    (obs) => obs.managed && obs.address && !desiredAddresses.has(obs.address),
  );
  const deletions = [...orphans, ...duplicates].reverse().map((obs): Change => {
    const type = typeOf(types, obs.type);
    const duplicate = duplicates.includes(obs);
    const address = duplicate ? `${obs.address} (${obs.id})` : (obs.address as string);
    const change: Change = {
      address,
      kind: obs.type,
      group: obs.group ?? groupOf(obs.address as string),
      action: "delete",
      reason: duplicate ? `duplicate of ${obs.address}` : "no longer in the file",
      id: obs.id,
      before: obs.attributes,
      after: null,
      attributes: [],
      // Read through `moved`, so it is deleted before what it used under that resource's new name.
      dependsOn: (obs.dependsOn ?? []).map((a) => movedAddress(a, env.moves) ?? a),
      ...(obs.dependsOn !== undefined ? { dependsOnRecorded: true } : {}),
      protected: obs.protect === true,
      risks: [],
      notes: [],
    };
    return withConsequences(change, type, obs, undefined);
  });

  const all = [...changes, ...deletions];
  return {
    plan: {
      formatVersion: 1,
      environment: env.environment,
      region: env.region,
      changes: all,
      summary: summarize(all),
      warnings: moveFindings.filter((d) => d.severity === "warning"),
    },
    desired: desiredStates,
    errors,
  };
}

/**
 * What the live resource recorded it depends on, when that record lacks something the file now
 * names (a `dependsOn` added, a reference renamed by `moved`): the line saying apply writes it
 * again, so a later delete, with no file to tell the order, still runs in today's. Undefined when
 * it holds all of it, or when nothing complete was ever recorded (the kinds' order stands in).
 */
function staleRecord(node: DesiredNode, observed: ObservedNode | undefined): string | undefined {
  if (!observed?.managed || observed.dependsOn === undefined) return undefined;
  const want = [
    ...new Set([...node.dependsOn, ...(node.refersTo ?? [])].filter((a) => a !== node.group)),
  ].sort();
  const have = [...new Set(observed.dependsOn)].sort();
  // Only a missing dependency puts a later delete out of order: one recorded that the file no
  // longer names only makes it wait for what may be gone by then (and tags are never removed).
  if (want.every((a) => have.includes(a))) return undefined;
  return `record what it depends on: ${want.join(", ")} (recorded: ${have.join(", ") || "nothing"})`;
}

/**
 * Replacing a resource parity adopted destroys something a person made by hand; the file must say
 * so for that entry, as it must say `protect` for resources parity made.
 */
function unmanagedReplacement(observed: ObservedNode, forcing: string[]): { message: string; hint: string } {
  return {
    message: `would replace ${observed.id}, which parity did not create (${
      forcing.includes(REPLACEMENT_REQUESTED) ? REPLACEMENT_REQUESTED : `${forcing.join(", ")} differ`
    })`,
    hint: "make the file match the live resource, or add `replaceUnmanaged: true` to this entry to let parity destroy and re-create it",
  };
}

/** What a change brings with it, as the type judges it: extra work, risks, and how long it takes. */
function withConsequences<Ctx>(
  change: Change,
  type: ResourceType<Ctx>,
  observed: ObservedNode | undefined,
  notes: string[] | undefined,
): Change {
  if (change.action === "no-op") return change;
  const seconds = type.expectedSeconds?.[change.action as "create" | "update" | "replace" | "delete"];
  // Risks are judged with the notes in place: a note can say what makes a change risky.
  const noted = { ...change, notes: [...(notes ?? []), ...(type.notes?.(change, observed) ?? [])] };
  return { ...noted, risks: type.risks?.(noted) ?? [], ...(seconds ? { expectedSeconds: seconds } : {}) };
}
