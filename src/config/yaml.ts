import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node as YamlNode } from "yaml";
import type { Diagnostic, SourceLocation, Value } from "../model/index.js";
import { formatPath, pathKey } from "../model/paths.js";
import type { Path } from "../model/paths.js";
import { MAX_DEPTH, measure } from "./depth.js";

export { formatPath, locate, pathKey } from "../model/paths.js";
export type { Path } from "../model/paths.js";

export type Located = {
  value: { [key: string]: Value };
  /** pathKey → where the value at that path starts; `key:` + pathKey → where its key starts. */
  locations: Map<string, SourceLocation>;
  diagnostics: Diagnostic[];
};

/** YAML's own tags for plain data; any other (`!Ref`, `!GetAtt`, `!!binary`) means something parity cannot. */
const PLAIN_TAGS = new Set([
  "tag:yaml.org,2002:str",
  "tag:yaml.org,2002:int",
  "tag:yaml.org,2002:float",
  "tag:yaml.org,2002:bool",
  "tag:yaml.org,2002:null",
  "tag:yaml.org,2002:map",
  "tag:yaml.org,2002:seq",
]);

/** Aliases can multiply a small file into a huge value ("billion laughs"): bound what we expand. */
const MAX_VALUES = 100_000;

/** Parses YAML keeping the position of every value and key, so errors can point at them. */
export function parseLocated(text: string, file: string): Located {
  const lineCounter = new LineCounter();
  const locations = new Map<string, SourceLocation>();
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const fail = (offset: number, message: string, hint?: string): Located => ({
    value: {},
    locations,
    diagnostics: [{ severity: "error", location: at(offset), message, ...(hint ? { hint } : {}) }],
  });
  // Measured first, without recursion: yaml's composer recurses per level and would overflow.
  const shape = measure(text);
  lineCounter.addNewLine(0);
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineCounter.addNewLine(i + 1);
  if (shape.documents.length > 1) {
    const second = shape.documents[1] as number;
    return fail(
      second,
      `one environment per file; found ${shape.documents.length} documents, the second at line ${at(second).line}`,
      "put each environment in its own file, or remove the --- separator",
    );
  }
  if (shape.tooDeep !== undefined) {
    return fail(
      shape.tooDeep,
      `nesting deeper than ${MAX_DEPTH} levels`,
      "an environment file is a few levels deep",
    );
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  for (const error of doc.errors) {
    const message =
      error.code === "DUPLICATE_KEY"
        ? "duplicate name: this key is already defined in the same map"
        : firstLine(error.message);
    diagnostics.push({ severity: "error", location: at(error.pos[0]), message });
  }
  if (diagnostics.length > 0) return { value: {}, locations, diagnostics };

  let values = 0;
  let deepAlias: number | undefined;
  const walk = (node: YamlNode | null | undefined, path: Path): Value => {
    if (node?.range) locations.set(pathKey(path), at(node.range[0]));
    if (++values > MAX_VALUES) return null;
    // Aliases nest what they repeat, so the text's depth does not bound the value's.
    if (path.length > MAX_DEPTH) {
      deepAlias ??= node?.range?.[0] ?? 0;
      return null;
    }
    if (node?.tag && !PLAIN_TAGS.has(node.tag)) {
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      diagnostics.push({
        severity: "error",
        location: at(tagStart(text, node.range?.[0] ?? 0)),
        ...(path.length ? { path: formatPath(path) } : {}),
        message: `unsupported YAML tag ${tag}: parity files are plain YAML`,
        hint: "write a reference like securityGroups.app, or ${kind.name.attribute} inside a string",
      });
      return null;
    }
    if (isAlias(node)) return walk(node.resolve(doc) as YamlNode | undefined, path);
    if (isMap(node)) {
      const out: { [key: string]: Value } = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (isScalar(pair.key) && pair.key.range)
          locations.set("key:" + pathKey([...path, key]), at(pair.key.range[0]));
        out[key] = walk(pair.value as YamlNode | null, [...path, key]);
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => walk(item as YamlNode, [...path, i]));
    if (isScalar(node)) return (node.value ?? null) as Value;
    return null;
  };
  const value = walk(doc.contents as YamlNode | null, []);
  if (values > MAX_VALUES) {
    return fail(
      0,
      `the file expands to more than ${MAX_VALUES} values`,
      "aliases (*name) multiply what they repeat",
    );
  }
  if (deepAlias !== undefined) {
    return fail(
      deepAlias,
      `nesting deeper than ${MAX_DEPTH} levels`,
      "aliases (*name) nest what they repeat",
    );
  }
  if (diagnostics.length > 0) return { value: {}, locations, diagnostics };
  if (value === null) return { value: {}, locations, diagnostics };
  if (typeof value !== "object" || Array.isArray(value)) {
    diagnostics.push({
      severity: "error",
      location: { file, line: 1, column: 1 },
      message: "the environment file must be a map of keys",
    });
    return { value: {}, locations, diagnostics };
  }
  return { value, locations, diagnostics };
}

/** A node's range starts after its tag: point at the tag itself. */
function tagStart(text: string, valueStart: number): number {
  let i = text.lastIndexOf("!", valueStart - 1);
  while (i > 0 && text[i - 1] === "!") i--;
  return i < 0 ? valueStart : i;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}
