import { cacheExporter } from "./export.js";
import { mapKind } from "../../../engine/kinds.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { Change, Risk } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { desiredCache } from "./desired.js";
import { observeCaches } from "./observe.js";
import { adoptCache, createCache, deleteCache, replaceCache, updateCache } from "./operations.js";
import { CacheSchema, TYPE, cacheSpec } from "./schema.js";
import { cacheReach, foreignCacheEndpoints } from "./wiring.js";

/** ElastiCache swaps nodes for these: the primary's connections drop while it does. */
const RESTART_PATHS = ["nodeType", "engineVersion"];

/** Replacing or deleting loses what the cache holds (sessions); a node swap drops connections. */
function risksOf(change: Change): Risk[] {
  const risks = new Set<Risk>();
  if (change.action === "replace" || change.action === "delete") risks.add("data-loss");
  if (change.action === "replace" || change.attributes.some((a) => RESTART_PATHS.includes(a.path)))
    risks.add("downtime");
  return [...risks];
}

function notesOf(change: Change): string[] {
  const replicas = change.attributes.find((a) => a.path === "replicas");
  const notes: string[] = [];
  if (replicas) notes.push(`change the replica count ${String(replicas.before)} → ${String(replicas.after)}`);
  if (change.action === "replace" || change.action === "delete")
    notes.push("no final snapshot is kept: what the cache holds is lost");
  return notes;
}

export const cacheType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: CacheSchema,
  expectedSeconds: { create: 600, update: 600, replace: 900, delete: 300 },
  risks: risksOf,
  notes: notesOf,
  plannedOutputs: (node) => ({ id: cacheSpec(node).id.toLowerCase() }),
  desired: desiredCache,
  observe: observeCaches,
  create: createCache,
  update: updateCache,
  adopt: adoptCache,
  replace: replaceCache,
  delete: deleteCache,
  exporter: cacheExporter,
};

export const caches: Kind<AwsContext> = mapKind(cacheType, {
  outputs: ["id", "endpoint", "port", "arn"],
  wiring: [foreignCacheEndpoints, cacheReach],
});
