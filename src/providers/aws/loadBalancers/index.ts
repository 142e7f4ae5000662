import { loadBalancerExporter } from "./export.js";
import { listenerPortsAdmitted, loadBalancerReach } from "./wiring.js";
import { nodeSpec } from "../../../engine/schema.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { Change, Risk } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { desiredLoadBalancer } from "./desired.js";
import { checkListeners } from "./listeners/checks.js";
import { listenerType } from "./listeners/index.js";
import { LISTENER_TYPE, listenerAddress } from "./listeners/schema.js";
import { observeLoadBalancers } from "./observe.js";
import {
  adoptLoadBalancer,
  createLoadBalancer,
  deleteLoadBalancer,
  updateLoadBalancer,
} from "./operations.js";
import {
  LoadBalancerNodeSchema,
  LoadBalancerSchema,
  TYPE,
  loadBalancerEntry,
  loadBalancerSpec,
} from "./schema.js";
import { owned } from "../common/owned.js";
import { elbv2Tagger } from "../common/elbv2.js";

function risks(change: Change): Risk[] {
  if (change.action === "delete" || change.action === "replace") return ["downtime"];
  if (change.action === "create" && change.after?.scheme === "internet-facing") return ["public-exposure"];
  return [];
}

export const loadBalancerType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: LoadBalancerNodeSchema,
  expectedSeconds: { create: 180, replace: 240, delete: 30 },
  risks,
  plannedOutputs: (node) => ({ name: loadBalancerSpec(node).name }),
  desired: desiredLoadBalancer,
  observe: observeLoadBalancers,
  create: createLoadBalancer,
  update: updateLoadBalancer,
  adopt: adoptLoadBalancer,
  delete: deleteLoadBalancer,
  exporter: loadBalancerExporter,
};

export const loadBalancers: Kind<AwsContext> = {
  key: TYPE,
  shape: "map",
  schema: LoadBalancerSchema,
  outputs: ["arn", "dnsName", "hostedZoneId", "name"],
  expand(address, spec) {
    const { listeners, ...rest } = loadBalancerEntry({ spec });
    // The load balancer's own node carries no listeners: it must not wait for the target groups
    // they forward to. Each listener is its own node, planned and applied on its own line.
    return [
      { address, type: TYPE, group: address, spec: nodeSpec(rest) },
      ...(listeners ?? []).map((listener, i) => {
        const at = listenerAddress(address, listener.port);
        return {
          address: at,
          type: LISTENER_TYPE,
          group: at,
          spec: nodeSpec({ ...listener, loadBalancer: address }),
          dependsOn: [address],
          path: ["listeners", i],
        };
      }),
    ];
  },
  check: (_address, spec) => checkListeners(loadBalancerEntry({ spec }).listeners),
  types: [owned(loadBalancerType, () => elbv2Tagger), listenerType],
  wiring: [loadBalancerReach, listenerPortsAdmitted],
};
