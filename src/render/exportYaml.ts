import { Document, isMap, isScalar } from "yaml";
import type { Node } from "yaml";
import type { ExportResult } from "../engine/export.js";

/**
 * The exported environment as YAML, with what could not be written as a comment before the entry
 * it concerns. The Document API places comments on nodes, so they survive the formatting.
 */
export function renderExportYaml(result: ExportResult, header: string[]): string {
  const doc = new Document(result.document);
  doc.commentBefore = header.map((line) => ` ${line}`).join("\n");
  for (const { path, lines } of result.comments) {
    const key = keyNodeAt(doc, path);
    if (key) key.commentBefore = lines.map((line) => ` ${line}`).join("\n");
  }
  return doc.toString({ lineWidth: 0 });
}

/** The key node of the pair at `path`, where a comment before the entry belongs. */
function keyNodeAt(doc: Document, path: string[]): Node | undefined {
  let map: unknown = doc.contents;
  let found: Node | undefined;
  for (const part of path) {
    if (!isMap(map)) return undefined;
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === part);
    if (!pair) return undefined;
    found = isScalar(pair.key) ? pair.key : undefined;
    map = pair.value;
  }
  return found;
}
