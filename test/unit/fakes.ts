import type { ResourceType } from "../../src/engine/types.js";
import type { DesiredNode, ObservedNode, PlannedEnvironment, Value } from "../../src/model/index.js";

/** A resource type with no AWS behind it: attributes are the spec, references resolve to `id`. */
export function fakeType(
  type: string,
  options: { replaceOn?: string[]; log?: string[]; fail?: string[] } = {},
): ResourceType<null> {
  const record = async (what: string, address: string) => {
    options.log?.push(`${what} ${address}`);
    if (options.fail?.includes(address)) throw new Error(`boom at ${address}`);
  };
  return {
    type,
    // Accepts any spec: these tests are about the engine, not about validation.
    schema: {},
    replaceOn: options.replaceOn ?? [],
    plannedOutputs: (node) => ({ name: String(node.spec.name ?? "") }),
    desired(node, resolver) {
      const attributes: { [key: string]: Value } = {};
      for (const [key, value] of Object.entries(node.spec)) {
        attributes[key] =
          typeof value === "string" && /^[a-z]+\.[a-z]+$/i.test(value) ? resolver.output(value, "id") : value;
      }
      return { attributes };
    },
    observe: async () => [],
    risks: (change) => (change.action === "delete" ? ["data-loss"] : []),
    create: async (_ctx, op) => {
      await record("create", op.change.address);
      return { id: `id-${op.change.address}`, name: String(op.desired?.name ?? "") };
    },
    update: async (_ctx, op) => {
      await record("update", op.change.address);
      return op.observed?.outputs ?? {};
    },
    adopt: async (_ctx, op) => {
      await record("adopt", op.change.address);
      return op.observed?.outputs ?? {};
    },
    delete: async (_ctx, op) => {
      await record("delete", op.change.address);
    },
  };
}

export function node(
  address: string,
  spec: { [key: string]: Value },
  dependsOn: string[] = [],
  type = address.split(".")[0] as string,
): DesiredNode {
  return { address, type, group: address.replace(/\[\d+\]$/, ""), spec, dependsOn, protect: false };
}

export function observed(
  address: string,
  attributes: { [key: string]: Value },
  extra: Partial<ObservedNode> = {},
): ObservedNode {
  return {
    type: address.split(".")[0] as string,
    address,
    id: `id-${address}`,
    managed: true,
    attributes,
    outputs: { id: `id-${address}`, name: String(attributes.name ?? "") },
    ...extra,
  };
}

export const ENV = { environment: "staging", region: "us-west-1", tags: {}, secrets: {} };

/** The planned environment a saved plan carries, for a file with these nodes. */
export function configurationOf(file: string, nodes: DesiredNode[]): PlannedEnvironment {
  return {
    file,
    environment: ENV.environment,
    region: ENV.region,
    tags: {},
    network: { vpc: "default", subnets: "default" },
    nodes,
    checks: [],
  };
}
