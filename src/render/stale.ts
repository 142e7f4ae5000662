import type { Diverged, Moved, Staleness } from "../engine/savedPlan.js";
import { formatValue } from "./values.js";

function movedLines(m: Moved): string[] {
  switch (m.what) {
    case "appeared":
      return [`${m.address}: did not exist when planned, exists now (${m.id})`];
    case "gone":
      return [`${m.address}: existed when planned${m.id ? ` (${m.id})` : ""}, is gone now`];
    case "replaced":
      return [`${m.address}: was ${m.id} when planned, is ${m.nowId} now`];
    case "changed":
      if (m.differences.length === 0)
        return [`${m.address}: its ownership tags changed since the plan was made`];
      return m.differences.map(
        (d) =>
          `${m.address}: ${d.path} was ${formatValue(d.before)} when planned, is ${formatValue(d.after)} now`,
      );
  }
}

function divergedLine(d: Diverged): string {
  if (!d.now) return `${d.address}: no longer part of the plan`;
  if (d.now.action !== d.planned.action) {
    return `${d.address}: planned to ${d.planned.action}, a plan made now would ${d.now.action}`;
  }
  const paths = [...new Set([...d.planned.attributes, ...d.now.attributes].map((a) => a.path))];
  const secret = [...d.planned.attributes, ...d.now.attributes].some((a) => a.sensitive);
  return `${d.address}: a plan made now changes it differently (${paths.join(", ")}${secret ? "; a secret differs" : ""})`;
}

/** One line per thing that moved, e.g. `targetGroups.api: healthCheck.path was /ready when planned, is /moved now`. */
export function renderStaleness(s: Staleness): string[] {
  return [
    ...s.moved.flatMap(movedLines),
    ...s.facts.map(
      (name) => `lookup "${name}" (account facts the plan used) changed since the plan was made`,
    ),
    ...s.diverged.map(divergedLine),
  ];
}
