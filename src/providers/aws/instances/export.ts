import type { ExportItem, Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { exportedTags, itemOf, referencesOr, strings } from "../common/exporting.js";
import { fromAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { describeInstances } from "./lifecycle.js";
import { LIVE_STATES, observedInstance } from "./observe.js";

const NOBODY = { address: "", managed: false, protect: false };

/** `chatmrpt-staging-2` and `chatmrpt-staging` are members of one group: the Name without its number. */
function groupName(name: string): string {
  return name.replace(/-\d+$/, "");
}

/** Live instances of the region; members of one group (same Name stem and type) make one entry. */
export const instanceExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const instances = await describeInstances(ctx, [{ Name: "instance-state-name", Values: LIVE_STATES }]);
    return instances.map((instance): ExportItem => {
      const tags = fromAwsTags(instance.Tags);
      const node = observedInstance(instance, NOBODY);
      const name = tags.Name ?? instance.InstanceId ?? "";
      // Ours: the group its address records; otherwise members share a Name stem and a type.
      const recorded = tags["parity:address"]?.replace(/\[\d+\]$/, "");
      const entry = recorded ?? `${groupName(name)}|${instance.InstanceType ?? ""}`;
      const item = itemOf(node, name, tags, env, { entry, key: recorded ?? groupName(name) });
      return recorded ? { ...item, address: recorded } : item;
    });
  },
  entry(items, { refs, options }) {
    const members = [...items].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const first = members[0]!;
    const a = first.attributes;
    const omitted: string[] = [];
    const images = [...new Set(members.map((m) => String(m.attributes.image ?? "")))];
    if (images.length > 1)
      omitted.push(`its members run different AMIs (${images.join(", ")}); each keeps its own`);
    const names = members.map((m) => m.tags.Name).filter((n): n is string => n !== undefined);
    const { Name: _name, ...tags } = first.tags;
    const keys = [...new Set(members.map((m) => m.attributes.keyName).filter((k) => k !== undefined))];
    const image: Value = options.imageFromInstance ? { fromInstance: first.id } : images[0]!;
    return {
      spec: {
        count: members.length,
        type: a.type ?? "",
        image,
        ...(keys.length > 0 ? { keyName: keys[0]! } : {}),
        securityGroups: referencesOr(strings(a.securityGroups), refs.to),
        ...(names.length === members.length ? { names } : {}),
        ...exportedTags(tags),
        adopt: members.map((m) => m.id),
      },
      omitted,
    };
  },
  keyNoise: ["ec2", "instance", "server", "vm"],
};
