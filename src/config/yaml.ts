import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node as YamlNode } from "yaml";
import type { Diagnostic, SourceLocation, Value } from "../model/index.js";
import { pathKey } from "../model/paths.js";
import type { Path } from "../model/paths.js";

export { formatPath, locate, pathKey } from "../model/paths.js";
export type { Path } from "../model/paths.js";

export type Located = {
  value: { [key: string]: Value };
  /** pathKey → where the value at that path starts; `key:` + pathKey → where its key starts. */
  locations: Map<string, SourceLocation>;
  diagnostics: Diagnostic[];
};

/** Parses YAML keeping the position of every value and key, so errors can point at them. */
export function parseLocated(text: string, file: string): Located {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locations = new Map<string, SourceLocation>();
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  for (const error of doc.errors) {
    const message =
      error.code === "DUPLICATE_KEY"
        ? "duplicate name: this key is already defined in the same map"
        : firstLine(error.message);
    diagnostics.push({ severity: "error", location: at(error.pos[0]), message });
  }
  if (diagnostics.length > 0) return { value: {}, locations, diagnostics };

  const walk = (node: YamlNode | null | undefined, path: Path): Value => {
    if (node?.range) locations.set(pathKey(path), at(node.range[0]));
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

function firstLine(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}
