import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { deepMerge, withoutDefaults } from "./exportSpec.js";
import type { ExportContext, ExportItem, ExportOptions, ExportRefs, Exporter } from "./types.js";
import { keysFor } from "./exportKeys.js";
import type { EnvironmentInfo, Facts, Kind } from "./types.js";

/** What to export: name patterns per kind, tags, or (neither given) what the environment's tags own. */
export type ExportSelection = {
  select: { kind: string; pattern: string }[];
  tags: { key: string; value: string }[];
  /** Also what the selected resources refer to, transitively. */
  follow: boolean;
};

/** The written environment, before it is YAML: the document, and what could not be written. */
export type ExportResult = {
  document: { [key: string]: Value };
  /** Comments to write before a path of the document (`["loadBalancers", "web"]`). */
  comments: { path: string[]; lines: string[] }[];
  /** Every resource and what was left out of it, for stderr. */
  omitted: { address: string; what: string }[];
  /** Environment variables the written file reads secrets from. */
  secrets: string[];
  /** Selected resources by address, for messages. */
  addresses: string[];
};

/** The items each type listed, with the kind it belongs to. */
export type Listed<Ctx> = {
  kind: Kind<Ctx>;
  type: string;
  exporter: Exporter<Ctx>;
  items: ExportItem[];
};

/** One entry of the file: the items that make it and the parts (listeners) that go inside it. */
type Unit<Ctx> = {
  id: number;
  listed: Listed<Ctx>;
  entryName: string;
  items: ExportItem[];
  parts: { listed: Listed<Ctx>; item: ExportItem }[];
};

/** Lists every exportable type's resources: export's own read of the account, one listing per type. */
export async function listExportable<Ctx>(
  kinds: Kind<Ctx>[],
  ctx: Ctx,
  env: EnvironmentInfo,
): Promise<Listed<Ctx>[]> {
  const types = kinds.flatMap((kind) =>
    kind.types.flatMap((type) => (type.exporter ? [{ kind, type: type.type, exporter: type.exporter }] : [])),
  );
  const found = await Promise.all(types.map((t) => t.exporter.list(ctx, env)));
  const all = found.flatMap((items, i) => items.map((item) => ({ item, type: item.type ?? types[i]!.type })));
  return types.map((t) => ({ ...t, items: all.filter((f) => f.type === t.type).map((f) => f.item) }));
}

/** `*` matches any run of characters, `?` one: the shell's globbing of a name. */
export function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(name);
}

function unitsOf<Ctx>(listed: Listed<Ctx>[]): Unit<Ctx>[] {
  const units: Unit<Ctx>[] = [];
  const byEntry = new Map<string, Unit<Ctx>>();
  const byItemId = new Map<string, Unit<Ctx>>();
  for (const l of listed) {
    for (const item of l.items) {
      if (item.parent) continue;
      const entryName = item.entry ?? item.name;
      const at = `${l.type}\u0000${entryName}`;
      let unit = byEntry.get(at);
      if (!unit) {
        unit = { id: units.length, listed: l, entryName, items: [], parts: [] };
        units.push(unit);
        byEntry.set(at, unit);
      }
      unit.items.push(item);
      byItemId.set(item.id, unit);
    }
  }
  for (const l of listed) {
    for (const item of l.items) {
      if (item.parent) byItemId.get(item.parent.id)?.parts.push({ listed: l, item });
    }
  }
  return units;
}

function chosen<Ctx>(unit: Unit<Ctx>, selection: ExportSelection): boolean {
  const kind = unit.listed.kind.key;
  const anyItem = (test: (item: ExportItem) => boolean) => unit.items.some(test);
  if (selection.select.length === 0 && selection.tags.length === 0)
    return anyItem((item) => item.address !== undefined);
  return (
    selection.select.some((s) => s.kind === kind && anyItem((item) => globMatches(s.pattern, item.name))) ||
    selection.tags.some((t) => anyItem((item) => item.tags[t.key] === t.value))
  );
}

/** Outputs that name one resource for good, so an attribute holding one refers to it (`refs.to`). */
const NAMING_OUTPUTS = ["id", "arn", "dnsName", "domainName"];

/** The strings an item may be named by in another entry's free text, longest first. */
function namedValues<Ctx>(unit: Unit<Ctx>): { output: string; value: string }[] {
  const outputs = unit.listed.kind.outputs;
  return unit.items.flatMap((item) =>
    Object.entries(item.outputs)
      .filter(([output, value]) => outputs.includes(output) && typeof value === "string" && value !== "")
      .filter(([output]) => output !== "id" && output !== "arn")
      .map(([output, value]) => ({ output, value: String(value) })),
  );
}

type Converted = {
  spec: { [key: string]: Value };
  drop: boolean;
  omitted: string[];
  secrets: string[];
};

/**
 * The pure part of export: selection (and `--follow`), keys, references as addresses, AWS
 * defaults left out, what cannot be written recorded. Kind-agnostic: everything a kind knows comes
 * through its types' exporters and its schema's annotations.
 */
export function buildExport<Ctx>(input: {
  listed: Listed<Ctx>[];
  kinds: Kind<Ctx>[];
  selection: ExportSelection;
  env: EnvironmentInfo;
  facts: Facts;
  options: ExportOptions;
}): ExportResult {
  const { selection, env } = input;
  const units = unitsOf(input.listed);
  const unitOfId = new Map<string, Unit<Ctx>>();
  for (const unit of units) {
    for (const item of [...unit.items, ...unit.parts.map((p) => p.item)]) {
      unitOfId.set(item.id, unit);
      for (const [output, value] of Object.entries(item.outputs)) {
        if (!NAMING_OUTPUTS.includes(output) || typeof value !== "string" || value === "") continue;
        // DNS names compare case-insensitively: Route53 and CloudFront keep whatever case was sent.
        unitOfId.set(value, unit);
        unitOfId.set(value.toLowerCase(), unit);
      }
    }
  }
  const selected = new Set(units.filter((u) => chosen(u, selection)).map((u) => u.id));

  for (;;) {
    const { converted, wanted } = convertAll();
    const more = [...wanted].filter((id) => !selected.has(id));
    if (!selection.follow || more.length === 0) return assemble(converted);
    for (const id of more) selected.add(id);
  }

  function convertAll(): {
    converted: Map<Unit<Ctx>, { key: string; entry: Converted }>;
    wanted: Set<number>;
  } {
    const chosenUnits = units.filter((u) => selected.has(u.id));
    const keys = keysFor(chosenUnits, env);
    const addressOf = (unit: Unit<Ctx>) => {
      const key = keys.get(unit);
      return unit.listed.kind.shape === "single" ? unit.listed.kind.key : `${unit.listed.kind.key}.${key}`;
    };
    const wanted = new Set<number>();
    const texts = units
      .flatMap((unit) => namedValues(unit).map((named) => ({ unit, ...named })))
      .sort((a, b) => b.value.length - a.value.length);
    const converted = new Map<Unit<Ctx>, { key: string; entry: Converted }>();
    for (const unit of chosenUnits) {
      const refs: ExportRefs = {
        to(id) {
          const target = unitOfId.get(id) ?? unitOfId.get(id.toLowerCase());
          if (!target) return undefined;
          if (target === unit) return addressOf(unit);
          wanted.add(target.id);
          return selected.has(target.id) ? addressOf(target) : undefined;
        },
        interpolate(text) {
          let out = text;
          for (const named of texts) {
            if (named.unit === unit) continue;
            // Inside a longer text only a DNS name is certain to be this resource's, not a word.
            const whole = out === named.value;
            if (!whole && !(named.value.includes(".") && out.includes(named.value))) continue;
            wanted.add(named.unit.id);
            if (!selected.has(named.unit.id)) continue;
            out = out.split(named.value).join(`\${${addressOf(named.unit)}.${named.output}}`);
          }
          return out;
        },
      };
      const context: ExportContext = { refs, facts: input.facts, env, options: input.options };
      converted.set(unit, { key: keys.get(unit) ?? "", entry: convertUnit(unit, context) });
    }
    return { converted, wanted };
  }

  function assemble(converted: Map<Unit<Ctx>, { key: string; entry: Converted }>): ExportResult {
    const document: { [key: string]: Value } = {
      environment: env.environment,
      ...(env.project !== undefined ? { project: env.project } : {}),
      region: env.region,
    };
    const comments: ExportResult["comments"] = [];
    const omitted: ExportResult["omitted"] = [];
    const secrets = new Set<string>();
    const addresses: string[] = [];
    for (const kind of input.kinds) {
      const entries = [...converted.entries()]
        .filter(([unit]) => unit.listed.kind === kind)
        .sort(([, a], [, b]) => a.key.localeCompare(b.key));
      if (entries.length === 0) continue;
      if (kind.shape === "single") {
        let block: { [key: string]: Value } = {};
        const lines: string[] = [];
        for (const [unit, { entry }] of entries) {
          const merged = entry.drop ? block : deepMerge(block, entry.spec);
          const left = [...entry.omitted];
          if (merged === undefined)
            left.push(`${unit.entryName}: does not fit this file's ${kind.key} block`);
          else block = merged;
          lines.push(...left);
          for (const s of merged === undefined ? [] : entry.secrets) secrets.add(s);
        }
        if (Object.keys(block).length > 0) {
          document[kind.key] = block;
          addresses.push(kind.key);
        }
        record(kind.key, [kind.key], lines);
        continue;
      }
      const map: { [key: string]: Value } = {};
      for (const [, { key, entry }] of entries) {
        if (entry.drop) {
          record(`${kind.key}.${key}`, [kind.key], entry.omitted);
          continue;
        }
        map[key] = entry.spec;
        addresses.push(`${kind.key}.${key}`);
        entry.secrets.forEach((s) => secrets.add(s));
        record(`${kind.key}.${key}`, [kind.key, key], entry.omitted);
      }
      if (Object.keys(map).length > 0) document[kind.key] = map;
    }
    return { document, comments, omitted, secrets: [...secrets].sort(), addresses };

    function record(address: string, path: string[], lines: string[]): void {
      if (lines.length === 0) return;
      comments.push({ path, lines: lines.map((line) => `${address}: parity cannot express: ${line}`) });
      omitted.push(...lines.map((what) => ({ address, what })));
    }
  }

  function convertUnit(unit: Unit<Ctx>, context: ExportContext): Converted {
    const own = unit.listed.exporter.entry(unit.items, context);
    const spec = { ...own.spec };
    const omitted = [...(own.omitted ?? [])];
    const secrets = [...(own.secrets ?? [])];
    for (const part of unit.parts) {
      const made = part.listed.exporter.entry([part.item], context);
      omitted.push(...(made.omitted ?? []));
      if (made.drop) continue;
      const list = Array.isArray(spec[part.item.parent!.path])
        ? (spec[part.item.parent!.path] as Value[])
        : [];
      spec[part.item.parent!.path] = [...list, made.spec];
      secrets.push(...(made.secrets ?? []));
    }
    const cleaned = withoutDefaults(spec, unit.listed.kind.schema);
    return { spec: isPlainObject(cleaned) ? cleaned : {}, omitted, secrets, drop: own.drop === true };
  }
}
