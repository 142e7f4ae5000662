import { paginateDescribeDBInstances } from "@aws-sdk/client-rds";
import type { Exporter } from "../../../engine/types.js";
import { isPlainObject } from "../../../model/index.js";
import { exportedTags, itemOf, referencesOr, strings } from "../common/exporting.js";
import { fromAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { observedDatabase } from "./observe.js";

const NOBODY = { address: "", managed: false, protect: false };

/** The region's RDS instances (their tags come with the listing). */
export const databaseExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const items = [];
    for await (const page of paginateDescribeDBInstances({ client: ctx.rds }, {})) {
      for (const db of page.DBInstances ?? []) {
        if (db.DBInstanceStatus === "deleting") continue;
        const node = observedDatabase(db, NOBODY);
        items.push(itemOf(node, node.id, fromAwsTags(db.TagList), env));
      }
    }
    return items;
  },
  entry([item], { refs }) {
    const a = item!.attributes;
    const groups = strings(a.securityGroups);
    const restored = isPlainObject(a.restoreFrom) ? a.restoreFrom.snapshotOf : undefined;
    return {
      spec: {
        identifier: item!.name,
        engine: a.engine ?? "",
        ...(a.engineVersion ? { engineVersion: a.engineVersion } : {}),
        class: a.class ?? "",
        allocatedStorageGb: a.allocatedStorageGb ?? 20,
        ...(groups.length > 0 ? { securityGroups: referencesOr(groups, refs.to) } : {}),
        subnetGroup: a.subnetGroup ?? "default",
        multiAz: a.multiAz ?? false,
        publiclyAccessible: a.publiclyAccessible ?? false,
        backupRetentionDays: a.backupRetentionDays ?? 1,
        deletionProtection: a.deletionProtection ?? false,
        // Its data came from there once: the file says so, so the plan does not restore it again.
        ...(typeof restored === "string"
          ? { restoreFrom: { snapshotOf: restored, alreadyRestored: true } }
          : {}),
        ...exportedTags(item!.tags),
      },
    };
  },
  keyNoise: ["db", "rds", "database", "postgres", "mysql"],
};
