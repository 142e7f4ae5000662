import { connect } from "node:net";
import { expand, unresolved, untilAborted, within } from "./attempt.js";
import type { Attempt, CheckDeps, TcpCheckSpec } from "./types.js";

/** One try: opens a connection to host:port and closes it again at once. */
export async function attemptTcp(spec: TcpCheckSpec, deps: CheckDeps, timeoutMs: number): Promise<Attempt> {
  const host = expand(spec.host, deps);
  const stuck = unresolved(host);
  if (stuck) return stuck;
  const result = await within(deps, timeoutMs, async (signal, elapsed) => {
    const socket = connect({ host, port: spec.port });
    const opened = new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    try {
      await untilAborted(signal, opened, () => socket.destroy());
    } finally {
      socket.destroy();
    }
    return { ok: true, detail: `${host}:${spec.port} accepted a connection in ${elapsed()} ms` };
  });
  return result.ok ? result : { ...result, detail: `${host}:${spec.port}: ${result.detail}` };
}
