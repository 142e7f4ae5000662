import type { ErrorObject } from "ajv";
import { closest, distance } from "fastest-levenshtein";
import type { TSchema } from "../engine/schema.js";
import type { Diagnostic, SourceLocation, Value } from "../model/index.js";
import { environmentValidator } from "./compiledValidator.js";
import { formatPath, locate } from "./yaml.js";
import type { Path } from "./yaml.js";

function pointerToPath(pointer: string): Path {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function describeType(schema: { [key: string]: unknown }): string {
  const type = schema.type;
  const lo = schema.minimum;
  const hi = schema.maximum;
  if (type === "integer" && typeof lo === "number" && typeof hi === "number") return `an integer ${lo}-${hi}`;
  if (type === "integer" && typeof lo === "number") return `an integer ≥ ${lo}`;
  if (type === "integer") return "an integer";
  if (type === "array") return "a list";
  if (type === "object") return "a map";
  if (type === "boolean") return "true or false";
  if (typeof type === "string") return `a ${type}`;
  return "of another type";
}

function message(error: ErrorObject): { text: string; hint?: string; onKey?: string } {
  const parent = (error.parentSchema ?? {}) as { [key: string]: unknown };
  const described = typeof parent.description === "string" ? parent.description : undefined;
  switch (error.keyword) {
    case "type":
    case "minimum":
    case "maximum":
      return { text: `must be ${described ?? describeType(parent)}` };
    case "required":
      return {
        text: `missing required key "${(error.params as { missingProperty: string }).missingProperty}"`,
      };
    case "additionalProperties": {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent.properties ?? {}) as object);
      const nearest = known.length ? closest(key, known) : undefined;
      // Only suggest a key that is plausibly a typo of this one.
      const guess =
        nearest && distance(key, nearest) <= Math.max(2, Math.floor(key.length / 3)) ? nearest : undefined;
      return {
        text: `unknown key "${key}"`,
        ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
        onKey: key,
      };
    }
    case "enum":
      return {
        text: `must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).join(", ")}`,
      };
    case "const":
      return { text: `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}` };
    case "pattern":
    case "format":
      return { text: `must be ${described ?? `a value matching ${String(parent.pattern ?? "")}`}` };
    case "propertyNames": {
      const names = (parent.propertyNames ?? {}) as { description?: unknown };
      const rule = typeof names.description === "string" ? names.description : "letters, digits, _ and -";
      return { text: `must be ${rule}` };
    }
    case "minProperties": {
      const limit = (error.params as { limit: number }).limit;
      return { text: `must have at least ${limit} ${limit === 1 ? "entry" : "entries"}` };
    }
    case "oneOf": {
      const branches = (parent.oneOf ?? []) as { required?: string[] }[];
      const keys = branches.flatMap((b) => b.required ?? []);
      if (keys.length === branches.length && keys.length > 0)
        return { text: `must set exactly one of ${keys.join(", ")}` };
      return { text: described ? `must be ${described}` : "does not match any allowed form" };
    }
    case "minLength": {
      const limit = (error.params as { limit: number }).limit;
      return { text: limit === 1 ? "must not be empty" : `must be at least ${limit} characters` };
    }
    case "maxLength": {
      const limit = (error.params as { limit: number }).limit;
      const length = typeof error.data === "string" ? error.data.length : 0;
      return { text: `must be at most ${limit} characters (this one has ${length})` };
    }
    case "minItems":
      return { text: `must list at least ${(error.params as { limit: number }).limit}` };
    default:
      return { text: error.message ?? "is invalid" };
  }
}

/** JSON Schema's name for a value's type, as a branch's `type` says it. */
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value;
}

function branchType(branch: { [key: string]: unknown }): string | undefined {
  if (typeof branch.type === "string") return branch.type === "integer" ? "number" : branch.type;
  if (branch.properties) return "object";
  if (branch.const !== undefined) return jsonType(branch.const);
  return undefined;
}

/** The one oneOf branch of the value's type, if exactly one has it. */
function branchFor(parent: { oneOf?: unknown[] }, data: unknown): number | undefined {
  const types = (parent.oneOf ?? []).map((b) => branchType((b ?? {}) as { [key: string]: unknown }));
  const matching = types.flatMap((t, i) => (t === jsonType(data) ? [i] : []));
  return matching.length === 1 ? matching[0] : undefined;
}

/**
 * Checks a document against the schema and turns ajv's errors into positioned diagnostics,
 * one per problem (the noise of a failed oneOf's branches is folded into one message).
 */
export function validateSchema(
  schema: TSchema,
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
): Diagnostic[] {
  const check = environmentValidator(schema);
  if (check(document)) return [];
  const errors = check.errors ?? [];
  // A failed oneOf reports one line, unless the value's type picks one branch: then that branch's
  // own errors say exactly what is wrong (`durationSeconds: must be an integer 1-604800`).
  const chosen = new Map(
    errors
      .filter((e) => e.keyword === "oneOf")
      .map((e) => [e.schemaPath, branchFor((e.parentSchema ?? {}) as { oneOf?: unknown[] }, e.data)]),
  );
  const oneOfs = [...chosen.entries()].filter(([, branch]) => branch === undefined).map(([path]) => path);
  const explained = new Set(
    [...chosen.entries()]
      .filter(
        ([path, branch]) =>
          branch !== undefined && errors.some((e) => e.schemaPath.startsWith(`${path}/${branch}/`)),
      )
      .map(([path]) => path),
  );
  // The other branches' noise goes; the chosen one's errors stay.
  const noise = new Set(
    [...chosen.entries()].flatMap(([path, branch]) =>
      branch === undefined
        ? []
        : errors.filter(
            (e) => e.schemaPath.startsWith(path + "/") && !e.schemaPath.startsWith(`${path}/${branch}/`),
          ),
    ),
  );
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    if (noise.has(error) || oneOfs.some((p) => error.schemaPath.startsWith(p + "/"))) continue;
    if (error.keyword === "oneOf" && explained.has(error.schemaPath)) continue;
    if (error.keyword === "if" || error.keyword === "anyOf") continue;
    // propertyNames reports twice (the pattern inside, and propertyNames itself): keep one.
    if (error.keyword === "pattern" && error.schemaPath.includes("/propertyNames/")) continue;
    const { text, hint, onKey } = message(error);
    let path = pointerToPath(error.instancePath);
    if (onKey !== undefined) path = [...path, onKey];
    if (error.keyword === "propertyNames")
      path = [...path, (error.params as { propertyName: string }).propertyName];
    const id = `${formatPath(path)}|${text}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const location = locate(locations, path, onKey !== undefined || error.keyword === "propertyNames");
    out.push({
      severity: "error",
      ...(location ? { location } : {}),
      path: formatPath(path) || "(file)",
      message: text,
      ...(hint ? { hint } : {}),
    });
  }
  return out;
}
