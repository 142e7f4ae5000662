import type { Exporter } from "../../../engine/types.js";
import { exportedTags, itemOf, referencesOr, strings } from "../common/exporting.js";
import type { AwsContext } from "../context.js";
import { listCaches, observedCache } from "./observe.js";

const NOBODY = { address: "", managed: false, protect: false };

/** The region's Redis replication groups, with their primary's settings and their tags. */
export const cacheExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    return (await listCaches(ctx)).map(({ group, primary, tags }) => {
      const node = observedCache(group, primary, tags, NOBODY);
      return itemOf(node, node.id, tags, env);
    });
  },
  entry([item], { refs }) {
    const a = item!.attributes;
    const groups = strings(a.securityGroups);
    return {
      spec: {
        id: item!.name,
        engine: a.engine ?? "redis",
        ...(typeof a.engineVersion === "string" && a.engineVersion !== ""
          ? { engineVersion: a.engineVersion }
          : {}),
        nodeType: a.nodeType ?? "",
        replicas: a.replicas ?? 0,
        port: a.port ?? 6379,
        ...(typeof a.parameterGroup === "string" && a.parameterGroup !== ""
          ? { parameterGroup: a.parameterGroup }
          : {}),
        ...(typeof a.subnetGroup === "string" ? { subnetGroup: a.subnetGroup } : {}),
        ...(groups.length > 0 ? { securityGroups: referencesOr(groups, refs.to) } : {}),
        atRestEncryption: a.atRestEncryption ?? false,
        transitEncryption: a.transitEncryption ?? false,
        snapshotRetentionDays: a.snapshotRetentionDays ?? 0,
        ...exportedTags(item!.tags),
      },
    };
  },
  keyNoise: ["redis", "cache", "valkey", "elasticache"],
};
