import type { DesiredNode } from "../model/index.js";

/** The members of each config address: `instances.web` → its `[0]`, `[1]`… nodes. */
export function groupMembers(nodes: DesiredNode[]): Map<string, DesiredNode[]> {
  const groups = new Map<string, DesiredNode[]>();
  for (const node of nodes) {
    const list = groups.get(node.group) ?? [];
    list.push(node);
    groups.set(node.group, list);
  }
  return groups;
}

/** A dependency cycle as a list of addresses (first repeated last), or undefined. */
export function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (from: string): string[] | undefined => {
    if (state.get(from) === "done") return undefined;
    if (state.get(from) === "visiting") return [...stack.slice(stack.indexOf(from)), from];
    state.set(from, "visiting");
    stack.push(from);
    for (const to of edges.get(from) ?? []) {
      const cycle = visit(to);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(from, "done");
    return undefined;
  };
  for (const from of edges.keys()) {
    const cycle = visit(from);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Nodes in creation order: every node after the groups it depends on, ties kept in file order.
 * Throws on a cycle; config validation reports cycles with positions before we get here.
 */
export function creationOrder(nodes: DesiredNode[]): DesiredNode[] {
  const members = groupMembers(nodes);
  const ordered: DesiredNode[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (node: DesiredNode): void => {
    if (placed.has(node.address)) return;
    if (visiting.has(node.address)) throw new Error(`dependency cycle through ${node.address}`);
    visiting.add(node.address);
    for (const dep of node.dependsOn) for (const member of members.get(dep) ?? []) place(member);
    visiting.delete(node.address);
    placed.add(node.address);
    ordered.push(node);
  };
  nodes.forEach(place);
  return ordered;
}

/** The config address a node address belongs to: `instances.web[1]` → `instances.web`. */
export function groupOf(address: string): string {
  return address.replace(/\[\d+\]$/, "");
}
