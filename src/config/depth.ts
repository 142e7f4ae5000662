import { Parser } from "yaml";

/**
 * The deepest nesting a file may have. The deepest real entry (a distribution behaviour's header
 * list) is 5 levels; 32 leaves room for anything sensible while keeping every recursive step after
 * parsing (extends merge, interpolation, schema validation) far from the stack's limit.
 */
export const MAX_DEPTH = 32;

export type Shape = {
  /** Offsets where each document starts, for "one environment per file". */
  documents: number[];
  /** Where nesting first exceeded MAX_DEPTH, if it did. */
  tooDeep?: number;
};

type Token = { type: string; offset?: number; value?: Token; key?: Token | null; items?: Item[] };
type Item = { key?: Token | null; value?: Token | null };

/**
 * Reads the file's concrete syntax without recursion (yaml's Parser keeps its own stack), so a
 * 10,000-level file is refused before anything recursive sees it.
 */
export function measure(text: string): Shape {
  const documents: number[] = [];
  let tooDeep: number | undefined;
  for (const token of new Parser().parse(text) as Iterable<Token>) {
    if (token.type !== "document") continue;
    documents.push(token.offset ?? 0);
    const stack: [Token, number][] = token.value ? [[token.value, 1]] : [];
    while (stack.length > 0 && tooDeep === undefined) {
      const [node, depth] = stack.pop() as [Token, number];
      if (depth > MAX_DEPTH) tooDeep = node.offset ?? 0;
      for (const item of node.items ?? []) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return { documents, ...(tooDeep !== undefined ? { tooDeep } : {}) };
}
