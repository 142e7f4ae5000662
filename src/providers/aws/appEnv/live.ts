import type { ObservedNode } from "../../../model/index.js";

/**
 * Decrypted live values of secrets, keyed by the observed node that stands for the parameter.
 * They stay in this module, never in the node (its attributes and details are rendered, saved
 * and fingerprinted): desired() asks only whether the file's value equals the live one.
 */
const liveSecrets = new WeakMap<ObservedNode, string>();

export function rememberLiveSecret(node: ObservedNode, value: string): void {
  liveSecrets.set(node, value);
}

/** Whether the live value equals `value`; undefined when the live value was never read. */
export function liveSecretEquals(node: ObservedNode, value: string): boolean | undefined {
  const live = liveSecrets.get(node);
  return live === undefined ? undefined : live === value;
}
