import { nodeSpec } from "../../../engine/schema.js";
import type { DesiredState, EnvironmentInfo, KindProblem, Resolver } from "../../../engine/types.js";
import type { DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { DELIVERY_ADDRESS, DELIVERY_TYPE } from "./delivery/schema.js";
import { liveSecretEquals } from "./live.js";
import { TYPE, appEnvSpec, parameterSpec } from "./schema.js";
import {
  MAX_VALUE_BYTES,
  isSecretSpec,
  keyAddress,
  normalisePath,
  parameterName,
  plainText,
} from "./values.js";

/**
 * One node per key, so the plan lists keys added, changed and removed one by one; and with
 * `deliver`, one node for the delivery, after every key and the instances it writes to.
 */
export function expandKeys(_address: string, block: { [key: string]: Value }) {
  const spec = appEnvSpec({ spec: block });
  const path = normalisePath(spec.path);
  const keys = Object.entries(spec.values).map(([key, value]) => ({
    address: keyAddress(key),
    type: TYPE,
    group: keyAddress(key),
    spec: nodeSpec({ path, key, value }),
    path: ["values", key],
  }));
  if (!spec.deliver) return keys;
  const secretsFrom = Object.values(spec.values).flatMap((v) => (isSecretSpec(v) ? [v.fromEnv] : []));
  const delivery = {
    address: DELIVERY_ADDRESS,
    type: DELIVERY_TYPE,
    group: DELIVERY_ADDRESS,
    spec: nodeSpec({ ...spec.deliver, path, keys: Object.keys(spec.values), secretsFrom }),
    path: ["deliver"],
    dependsOn: keys.map((k) => k.group),
  };
  return [...keys, delivery];
}

/** A secret's variable, when set, must hold what Parameter Store accepts; its value is never echoed. */
export function checkSecrets(
  _address: string,
  block: { [key: string]: Value },
  env: Pick<EnvironmentInfo, "secrets">,
): KindProblem[] {
  const spec = appEnvSpec({ spec: block });
  const problems: KindProblem[] = spec.deliver ? lineBreaks(spec.values) : [];
  for (const [key, value] of Object.entries(spec.values)) {
    if (!isSecretSpec(value)) continue;
    const secret = env.secrets[value.fromEnv];
    // Unset is fine for validate and plan; apply refuses it before changing anything.
    if (secret === undefined) continue;
    if (secret === "") {
      problems.push({
        path: ["values", key],
        message: `${value.fromEnv} is empty`,
        hint: "Parameter Store cannot hold an empty value",
      });
    } else if (Buffer.byteLength(secret) > MAX_VALUE_BYTES) {
      problems.push({
        path: ["values", key],
        message: `${value.fromEnv} is ${Buffer.byteLength(secret)} bytes; Parameter Store's standard tier holds at most ${MAX_VALUE_BYTES}`,
      });
    }
  }
  return problems;
}

/** A delivered value is one .env line: a line break in it would end the line and start another. */
function lineBreaks(values: ReturnType<typeof appEnvSpec>["values"]): KindProblem[] {
  return Object.entries(values)
    .filter(([, value]) => typeof value === "string" && /[\r\n]/.test(value))
    .map(([key]) => ({
      path: ["values", key],
      message: "holds a line break, which a delivered .env line cannot",
      hint: "keep it on one line; an app that reads Parameter Store itself (no `deliver`) can take any value",
    }));
}

/**
 * The parameter the file asks for. A secret is compared here, against a live value kept out of
 * the observed node: the plan learns only whether it differs.
 */
export function desiredParameter(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const spec = parameterSpec(node);
  const name = parameterName(spec);
  if (isSecretSpec(spec.value)) {
    const secret = resolver.env.secrets[spec.value.fromEnv];
    if (secret === undefined) {
      // Not needed to plan: the plan says where apply will read it, and apply refuses until it is set.
      return {
        attributes: {
          name,
          type: "SecureString",
          value: { $sensitive: true, changed: true, from: spec.value.fromEnv },
        },
        sensitive: ["value"],
      };
    }
    const same = observed ? liveSecretEquals(observed, secret) : false;
    return {
      attributes: { name, type: "SecureString", value: { $sensitive: true, changed: same !== true } },
      sensitive: ["value"],
    };
  }
  const raw = spec.value;
  const value: Value =
    typeof raw === "string" && raw.includes("${") ? resolver.interpolate(raw) : plainText(raw);
  const errors =
    typeof value === "string" && Buffer.byteLength(value) > MAX_VALUE_BYTES
      ? [
          {
            message: `the value is ${Buffer.byteLength(value)} bytes; Parameter Store's standard tier holds at most ${MAX_VALUE_BYTES}`,
          },
        ]
      : [];
  return { attributes: { name, type: "String", value }, ...(errors.length ? { errors } : {}) };
}
