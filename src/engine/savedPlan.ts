import type { Attrs, Change, ObservedNode, Plan, PlannedEnvironment, Value } from "../model/index.js";
import { isPlainObject, isSensitive } from "../model/index.js";
import { SAVED_PLAN_KIND } from "../model/savedPlan.js";
import type { SavedPlan } from "../model/savedPlan.js";
import { canonicalJson, configDigest, sha256 } from "./digest.js";
import type { DesiredState, Facts } from "./types.js";

/** What a plan was computed from: the live resources it names, and the lookups it used. */
export type PlanBasis = {
  plan: Plan;
  observed: ObservedNode[];
  desired: Map<string, DesiredState>;
  facts: Facts;
};

type Observation = Pick<SavedPlan, "fingerprints" | "observedAttributes" | "observedOutputs" | "facts">;

/** The live resource a change is about: by id when it had one, else by address (it appeared since). */
export function observedFor(change: Change, observed: ObservedNode[]): ObservedNode | undefined {
  const same = observed.filter((o) => o.type === change.kind);
  if (change.id !== undefined) {
    const byId = same.find((o) => o.id === change.id);
    if (byId) return byId;
  }
  const byAddress = same.filter((o) => o.address === change.address);
  return byAddress.find((o) => o.managed) ?? byAddress[0];
}

/** Paths never recorded or hashed: declared sensitive by the type, flagged in the diff, or masked in the plan. */
function sensitivePaths(change: Change, desired: DesiredState | undefined): string[] {
  const paths = new Set(desired?.sensitive ?? []);
  for (const a of change.attributes) if (a.sensitive) paths.add(a.path);
  markerPaths(change.before, "", paths);
  markerPaths(change.after, "", paths);
  return [...paths];
}

function markerPaths(value: Value | undefined, prefix: string, into: Set<string>): void {
  if (isSensitive(value)) {
    if (prefix) into.add(prefix);
  } else if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value))
      markerPaths(inner, prefix ? `${prefix}.${key}` : key, into);
  }
}

function mask(attrs: Attrs, paths: string[], prefix = ""): Attrs {
  if (paths.length === 0) return attrs;
  const out: Attrs = {};
  for (const [key, value] of Object.entries(attrs)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (paths.some((s) => path === s || path.startsWith(s + "."))) out[key] = { $sensitive: true };
    else if (isPlainObject(value) && !isSensitive(value)) out[key] = mask(value, paths, path);
    else out[key] = value;
  }
  return out;
}

/**
 * Fingerprints every live resource the plan names (null when it did not exist), from masked
 * attributes: a secret is never recorded, nor hashed (a hash of a short secret can be guessed).
 */
export function fingerprint(basis: PlanBasis): Observation {
  const result: Observation = { fingerprints: {}, observedAttributes: {}, observedOutputs: {}, facts: {} };
  for (const change of basis.plan.changes) {
    const found = observedFor(change, basis.observed);
    if (!found) {
      result.fingerprints[change.address] = null;
      continue;
    }
    const attributes = mask(found.attributes, sensitivePaths(change, basis.desired.get(change.address)));
    result.fingerprints[change.address] = sha256(
      canonicalJson({
        id: found.id,
        managed: found.managed,
        protect: found.protect === true,
        attributes,
        outputs: found.outputs,
      }),
    );
    result.observedAttributes[change.address] = attributes;
    result.observedOutputs[change.address] = found.outputs;
  }
  for (const [name, value] of Object.entries(basis.facts)) result.facts[name] = sha256(canonicalJson(value));
  return result;
}

/** The planned environment alone: what a loaded file holds beyond it (its text, positions) stays behind. */
export function plannedEnvironment(environment: PlannedEnvironment): PlannedEnvironment {
  const { file, environment: name, project, region, tags, network, nodes, checks, moves } = environment;
  return {
    file,
    environment: name,
    ...(project ? { project } : {}),
    region,
    tags,
    network,
    nodes,
    checks,
    ...(moves?.length ? { moves } : {}),
  };
}

export function savePlan(
  basis: PlanBasis & {
    configuration: PlannedEnvironment;
    document: { [key: string]: Value };
    createdAt: Date;
    scope?: { targets?: string[]; excludes?: string[]; replace?: string[] };
  },
): SavedPlan {
  return {
    formatVersion: 2,
    kind: SAVED_PLAN_KIND,
    environment: basis.plan.environment,
    region: basis.plan.region,
    file: basis.configuration.file,
    configuration: plannedEnvironment(basis.configuration),
    createdAt: basis.createdAt.toISOString(),
    scope: {
      targets: basis.scope?.targets ?? [],
      excludes: basis.scope?.excludes ?? [],
      ...(basis.scope?.replace?.length ? { replace: basis.scope.replace } : {}),
    },
    configDigest: configDigest(basis.document, basis.plan.region),
    ...fingerprint(basis),
    plan: basis.plan,
  };
}

export type Difference = { path: string; before: Value | undefined; after: Value | undefined };

/** A live resource that moved between plan and apply. */
export type Moved =
  | { address: string; what: "appeared"; id: string }
  | { address: string; what: "gone"; id: string }
  | { address: string; what: "replaced"; id: string; nowId: string }
  | { address: string; what: "changed"; differences: Difference[] };

/** A saved change the plan computed now would not make the same way (a secret changed, say). */
export type Diverged = { address: string; planned: Change; now: Change | undefined };

export type Staleness = { moved: Moved[]; facts: string[]; diverged: Diverged[] };

function differences(before: Value | undefined, after: Value | undefined, prefix: string): Difference[] {
  if (isPlainObject(before) && isPlainObject(after) && !isSensitive(before) && !isSensitive(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => differences(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return canonicalJson(before) === canonicalJson(after) ? [] : [{ path: prefix, before, after }];
}

function sameChange(a: Change, b: Change): boolean {
  // Attribute changes are plain data with optional keys; canonical JSON drops the absent ones.
  const shape = (c: Change) =>
    canonicalJson({ action: c.action, attributes: c.attributes as unknown as Value });
  return shape(a) === shape(b);
}

/**
 * Why a saved plan may no longer be applied: live resources it depends on moved, a lookup
 * changed, or the plan computed now would do something else. Empty lists: it is still current.
 */
export function staleness(saved: SavedPlan, now: PlanBasis): Staleness {
  const current = fingerprint({ ...now, plan: saved.plan });
  const moved: Moved[] = [];
  for (const change of saved.plan.changes) {
    const then = saved.fingerprints[change.address] ?? null;
    const nowPrint = current.fingerprints[change.address] ?? null;
    if (then === nowPrint) continue;
    const found = observedFor(change, now.observed);
    if (then === null && found) moved.push({ address: change.address, what: "appeared", id: found.id });
    else if (!found) moved.push({ address: change.address, what: "gone", id: change.id ?? "" });
    else if (change.id !== undefined && found.id !== change.id)
      moved.push({ address: change.address, what: "replaced", id: change.id, nowId: found.id });
    else {
      const diff = [
        ...differences(
          saved.observedAttributes[change.address],
          current.observedAttributes[change.address],
          "",
        ),
        ...differences(
          saved.observedOutputs[change.address],
          current.observedOutputs[change.address],
          "outputs",
        ),
      ];
      moved.push({ address: change.address, what: "changed", differences: diff });
    }
  }
  const facts = [...new Set([...Object.keys(saved.facts), ...Object.keys(current.facts)])]
    .filter((name) => saved.facts[name] !== current.facts[name])
    .sort();
  const movedAddresses = new Set(moved.map((m) => m.address));
  const diverged: Diverged[] = [];
  for (const planned of saved.plan.changes) {
    if (movedAddresses.has(planned.address)) continue;
    const match = now.plan.changes.find((c) => c.address === planned.address);
    if (!match || !sameChange(planned, match))
      diverged.push({ address: planned.address, planned, now: match });
  }
  return { moved, facts, diverged };
}

export function isStale(s: Staleness): boolean {
  return s.moved.length + s.facts.length + s.diverged.length > 0;
}
