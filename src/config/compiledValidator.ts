import { Ajv } from "ajv";
import type { Options, ValidateFunction } from "ajv";
import { createHash } from "node:crypto";
import type { TSchema } from "../engine/schema.js";
import { precompiled } from "./precompiledValidator.js";

/** `verbose` keeps each error's schema, which the diagnostics read for descriptions and hints. */
export const AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: false };

export function schemaDigest(schema: TSchema): string {
  return createHash("sha256").update(JSON.stringify(schema)).digest("hex");
}

/**
 * The environment schema's validator: the one compiled at build time when it was compiled from
 * this very schema, else compiled now (from source, in tests, or if the kinds changed since).
 * Compiling takes a few hundred milliseconds of CPU, most of a `validate`'s own time.
 */
export function environmentValidator(schema: TSchema): ValidateFunction {
  if (precompiled && precompiled.digest === schemaDigest(schema)) return precompiled.validate;
  return new Ajv(AJV_OPTIONS).compile(schema);
}
