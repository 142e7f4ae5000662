import { isPlainObject } from "../../../model/index.js";
import type { ParameterSpec, SecretSpec } from "./schema.js";

/** Parameter Store's standard tier holds values up to 4 KB. */
export const MAX_VALUE_BYTES = 4096;

export function isSecretSpec(value: unknown): value is SecretSpec {
  return isPlainObject(value) && value.secret === true && typeof value.fromEnv === "string";
}

/** `/khorium/staging` and `/khorium/staging/` are the same path: keep the trailing slash. */
export function normalisePath(path: string): string {
  return path.endsWith("/") ? path : `${path}/`;
}

export function parameterName(spec: Pick<ParameterSpec, "path" | "key">): string {
  return `${normalisePath(spec.path)}${spec.key}`;
}

export function keyAddress(key: string): string {
  return `appEnv.values.${key}`;
}

/**
 * The key of a parameter directly under `path`, or undefined for one outside it or nested deeper
 * (`/app/staging/feature/X` is not a key of the `/app/staging/` .env).
 */
export function keyUnder(name: string, path: string): string | undefined {
  if (!name.startsWith(path)) return undefined;
  const rest = name.slice(path.length);
  return rest && !rest.includes("/") ? rest : undefined;
}

/** YAML may give numbers and booleans; Parameter Store holds strings. */
export function plainText(value: string | number | boolean): string {
  return typeof value === "string" ? value : String(value);
}

/**
 * An error with every secret value cut out of its message. AWS and the SDK sometimes echo request
 * fields in errors; a secret must never reach a terminal, a log or a saved result that way.
 */
export function scrubbed(error: unknown, secrets: string[]): Error {
  const text = error instanceof Error ? error.message : String(error);
  const clean = secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join("(sensitive)"), text);
  const out = new Error(clean);
  out.name = error instanceof Error ? error.name : "Error";
  return out;
}
