import { readFileSync } from "node:fs";
import { configDigest } from "../engine/digest.js";
import type { TSchema } from "../engine/schema.js";
import type { Kind, EnvironmentInfo } from "../engine/types.js";
import type {
  DesiredNode,
  Diagnostic,
  Environment,
  NetworkSpec,
  SourceLocation,
  Value,
} from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { checkIgnorePaths, entryDirectives, nodeIgnores, readMoves } from "./directives.js";
import { loadWithExtends } from "./extends.js";
import type { ReadFile } from "./extends.js";
import { checkReferences, entryAddresses, isLaterReference, referencedAddresses } from "./references.js";
import { environmentSchema } from "./schema.js";
import { checkTags } from "./tags.js";
import { validateSchema } from "./validate.js";
import { formatPath, locate } from "./yaml.js";

export { environmentSchema } from "./schema.js";
export type { ReadFile } from "./extends.js";

export type LoadOptions = {
  /** The registered kinds; the config layer never calls their provider side. */
  kinds: Kind<never>[];
  /** The schema of one entry of `checks:`. */
  checks: TSchema;
  read?: ReadFile;
  /** `--region` wins over the file. */
  region?: string;
  /** The process environment, for secrets (`fromEnv`). */
  secrets?: { [name: string]: string | undefined };
  /** The provider's word on a region name (`us-west-9`), the file's or --region's. */
  checkRegion?: (region: string) => { message: string; hint?: string } | undefined;
};

export type LoadResult = { environment?: Environment; info?: EnvironmentInfo; diagnostics: Diagnostic[] };

const NAME_FIELDS = ["name", "identifier"];

/**
 * File → validated desired state. Every problem is collected and returned at once, each with
 * its file position; nothing is thrown for bad input.
 */
export function loadEnvironment(file: string, options: LoadOptions): LoadResult {
  const read = options.read ?? ((path: string) => readFileSync(path, "utf8"));
  const loaded = loadWithExtends(file, read);
  if (loaded.diagnostics.length > 0) return { diagnostics: loaded.diagnostics };
  const { value: document, locations } = loaded;
  const kinds = options.kinds;

  const diagnostics = validateSchema(environmentSchema(kinds, options.checks), document, locations);
  const { diagnostics: referenceProblems } = checkReferences(document, locations, kinds);
  // One message per value: a reference the schema already refused (of the wrong kind) says enough.
  const refused = new Set(diagnostics.map((d) => d.path));
  diagnostics.push(...referenceProblems.filter((d) => !refused.has(d.path)));

  const region = options.region ?? (typeof document.region === "string" ? document.region : undefined);
  if (!region) {
    diagnostics.push({
      severity: "error",
      location: locate(locations, []) ?? { file, line: 1, column: 1 },
      path: "region",
      message: "no region: set `region:` in the file or pass --region",
    });
  }
  // A region the schema already refused (`US West`) needs no second message.
  const regionRefused = diagnostics.some((d) => d.path === "region");
  const badRegion = region && !regionRefused ? options.checkRegion?.(region) : undefined;
  if (badRegion) {
    const fromFile = options.region === undefined;
    const location = fromFile ? locate(locations, ["region"]) : undefined;
    diagnostics.push({
      severity: "error",
      ...(location ? { location } : {}),
      path: fromFile ? "region" : "--region",
      ...badRegion,
    });
  }
  diagnostics.push(...checkTags(document, locations, [...entryAddresses(document, kinds).values()]));
  diagnostics.push(...duplicateNames(document, locations, kinds));
  diagnostics.push(...checkIgnorePaths(document, locations, kinds));
  if (diagnostics.length > 0) return { diagnostics: sortDiagnostics(diagnostics) };

  const info: EnvironmentInfo = {
    environment: String(document.environment),
    ...(typeof document.project === "string" ? { project: document.project } : {}),
    region: region as string,
    tags: (document.tags ?? {}) as { [key: string]: string },
    secrets: options.secrets ?? {},
    planDigest: configDigest(document, region as string),
  };

  diagnostics.push(...entryProblems(document, locations, kinds, info));
  const nodes = expandDocument(document, locations, kinds, info);
  const { moves, diagnostics: moveProblems } = readMoves(document, locations, kinds, nodes);
  diagnostics.push(...moveProblems);
  if (diagnostics.length > 0) return { diagnostics: sortDiagnostics(diagnostics) };
  if (moves.length > 0) info.moves = moves;

  const network = (document.network ?? {}) as Partial<NetworkSpec>;
  const environment: Environment = {
    file,
    environment: info.environment,
    ...(info.project ? { project: info.project } : {}),
    region: info.region,
    tags: info.tags,
    network: { vpc: network.vpc ?? "default", subnets: network.subnets ?? "default" },
    nodes,
    ...(moves.length > 0 ? { moves } : {}),
    checks: (Array.isArray(document.checks) ? document.checks : []).map((check, i) => {
      const c = check as { [key: string]: Value };
      const location = locate(locations, ["checks", i]);
      return { name: String(c.name), spec: c, ...(location ? { location } : {}) };
    }),
    document,
    locations,
  };
  return { environment, info, diagnostics: [] };
}

/** Each entry of the document, with its kind and its place in the file. */
function entriesOf(document: { [key: string]: Value }, kinds: LoadOptions["kinds"]) {
  return [...entryAddresses(document, kinds)].flatMap(([address, path]) => {
    const kind = kinds.find((k) => k.key === path[0]);
    if (!kind) return [];
    const block = document[kind.key];
    const entry = path.length === 2 && isPlainObject(block) ? block[path[1] as string] : block;
    return isPlainObject(entry) ? [{ address, path, kind, spec: entry }] : [];
  });
}

/** What each kind checks beyond its schema (listener ports unique, a secret's variable set). */
function entryProblems(
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
  kinds: LoadOptions["kinds"],
  info: EnvironmentInfo,
): Diagnostic[] {
  return entriesOf(document, kinds).flatMap(({ address, path, kind, spec }) =>
    (kind.check?.(address, spec, info) ?? []).map((problem): Diagnostic => {
      const full = [...path, ...problem.path];
      const location = locate(locations, full);
      return {
        severity: "error",
        ...(location ? { location } : {}),
        path: formatPath(full),
        message: problem.message,
        ...(problem.hint ? { hint: problem.hint } : {}),
      };
    }),
  );
}

/**
 * The document's entries as nodes: each kind's expansion, with references as dependencies and each
 * node's place in the file. It does not validate: loadEnvironment runs it on accepted documents.
 */
export function expandDocument(
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
  kinds: LoadOptions["kinds"],
  info: EnvironmentInfo,
): DesiredNode[] {
  return entriesOf(document, kinds).flatMap(({ address, path, kind, spec }) =>
    kind.expand(address, spec, info).map((partial): DesiredNode => {
      const later = (at: (string | number)[]) => isLaterReference(kind, at);
      const refs = referencedAddresses(partial.spec, kinds, later).filter((r) => r !== partial.group);
      const all = referencedAddresses(partial.spec, kinds);
      const refersTo = all.filter((r) => !refs.includes(r) && !(partial.dependsOn ?? []).includes(r));
      const nodePath = [...path, ...(partial.path ?? [])];
      const location = locate(locations, nodePath, true);
      const directives = entryDirectives(spec);
      // `dependsOn` orders every node of the entry, nested ones too, as a reference would.
      const ordered = directives.dependsOn.filter((a) => a !== partial.group);
      const ignoreChanges = nodeIgnores(directives.ignoreChanges, partial.path);
      return {
        ...partial,
        path: nodePath,
        dependsOn: [...new Set([...(partial.dependsOn ?? []), ...refs, ...ordered])],
        ...(refersTo.length > 0 ? { refersTo } : {}),
        protect: spec.protect === true,
        ...(spec.replaceUnmanaged === true ? { replaceUnmanaged: true } : {}),
        ...(ignoreChanges.length > 0 ? { ignoreChanges } : {}),
        ...(location ? { location } : {}),
      };
    }),
  );
}

function duplicateNames(
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
  kinds: LoadOptions["kinds"],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of kinds.filter((k) => k.shape === "map")) {
    const block = document[kind.key];
    if (!isPlainObject(block)) continue;
    const seen = new Map<string, string>();
    for (const [name, entry] of Object.entries(block)) {
      if (!isPlainObject(entry)) continue;
      const field = NAME_FIELDS.find((f) => typeof entry[f] === "string");
      if (!field) continue;
      const value = String(entry[field]).toLowerCase();
      const other = seen.get(value);
      if (other) {
        const path = [kind.key, name, field];
        const location = locate(locations, path);
        out.push({
          severity: "error",
          ...(location ? { location } : {}),
          path: formatPath(path),
          message: `duplicate name "${String(entry[field])}": also used by ${kind.key}.${other}`,
          hint: "each resource needs its own name",
        });
      } else seen.set(value, name);
    }
  }
  return out;
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.location?.file ?? "").localeCompare(b.location?.file ?? "") ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
}
