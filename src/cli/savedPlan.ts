import { Ajv } from "ajv";
import { readFileSync, writeFileSync } from "node:fs";
import { savePlan } from "../engine/savedPlan.js";
import { ParityError } from "../model/index.js";
import type { Value } from "../model/index.js";
import { SAVED_PLAN_KIND } from "../model/savedPlan.js";
import type { SavedPlan } from "../model/savedPlan.js";
import { savedPlanSchema } from "../render/planSchema.js";
import type { PlanSession } from "./workflow.js";

/**
 * True when the file is a plan (JSON of kind parity-plan, or `plan --json` output, which
 * readSavedPlan then refuses with a hint) rather than an environment file.
 */
export function isSavedPlanFile(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return false;
  }
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const value = JSON.parse(text) as { kind?: unknown; changes?: unknown };
    return value.kind === SAVED_PLAN_KIND || Array.isArray(value.changes);
  } catch {
    return false;
  }
}

let validator: ((value: unknown) => boolean) | undefined;

/** Reads and checks a saved plan; a damaged or hand-edited file is refused, never half-applied. */
export function readSavedPlan(path: string): { saved: SavedPlan; text: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ParityError(`cannot read the plan ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ParityError(
      `${path} is not a saved plan (not JSON)`,
      "make one with: parity plan FILE --out PLAN",
    );
  }
  const plain = typeof value === "object" && value !== null ? (value as { changes?: unknown }) : {};
  if (Array.isArray(plain.changes)) {
    throw new ParityError(
      `${path} is \`parity plan --json\` output, which only describes a plan`,
      "save a plan to apply with: parity plan FILE --out PLAN",
    );
  }
  if ((value as { formatVersion?: unknown }).formatVersion === 1) {
    throw new ParityError(
      `${path} was saved by an older parity, whose plans needed their file to apply`,
      "make a new one with: parity plan FILE --out PLAN",
    );
  }
  validator ??= new Ajv().compile(savedPlanSchema());
  if (!validator(value)) {
    throw new ParityError(
      `${path} is not a valid saved plan (kind ${SAVED_PLAN_KIND}, format 2)`,
      "make a new one with: parity plan FILE --out PLAN",
    );
  }
  return { saved: value as SavedPlan, text };
}

/** Every secret value the file reads from the environment, so a saved plan can be proven free of them. */
function secretValues(document: Value, secrets: { [name: string]: string | undefined }): string[] {
  const names = new Set<string>();
  const walk = (v: Value): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if (typeof v.fromEnv === "string") names.add(v.fromEnv);
      Object.values(v).forEach(walk);
    }
  };
  walk(document);
  // Very short values would match by accident; they are not worth guarding (nor good secrets).
  return [...names].map((n) => secrets[n]).filter((s): s is string => typeof s === "string" && s.length >= 4);
}

function documentOf(session: PlanSession): { [key: string]: Value } {
  if (!session.text) throw new Error("a plan is saved from the file it was made from");
  return session.text.document;
}

/** Writes `parity plan --out`; refuses if any secret's value would end up in the file. */
export function writeSavedPlan(path: string, session: PlanSession, file: string): SavedPlan {
  const saved = savePlan({
    plan: session.plan,
    observed: session.observed,
    desired: session.desired,
    facts: session.facts,
    configuration: { ...session.environment, file },
    document: documentOf(session),
    createdAt: new Date(),
    scope: session.scope,
  });
  const text = JSON.stringify(saved, null, 2) + "\n";
  for (const secret of secretValues(documentOf(session), session.info.secrets)) {
    if (text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))) {
      throw new ParityError(
        `refusing to write ${path}: it would contain a secret's value`,
        "this is a bug in a resource type's masking; please report it",
      );
    }
  }
  writeFileSync(path, text);
  return saved;
}
