import { isIP } from "node:net";
import { checkServerIdentity, connect } from "node:tls";
import type { PeerCertificate } from "node:tls";
import { expand, unresolved, untilAborted, within } from "./attempt.js";
import type { Attempt, CheckDeps, TlsCheckSpec } from "./types.js";

const DAY_MS = 86_400_000;
const DEFAULT_PORT = 443;
const DEFAULT_MIN_DAYS_LEFT = 14;

/** Who the certificate is for, as a reader checks it: its subject and its alternative names. */
function describe(cert: PeerCertificate): string {
  const subject = cert.subject?.CN ? `CN=${cert.subject.CN}` : "no subject CN";
  return cert.subjectaltname ? `${subject}, SAN ${cert.subjectaltname}` : subject;
}

/** The verdict on a served certificate: covers the host, chains to a trusted authority, not about to expire. */
function judge(
  host: string,
  cert: PeerCertificate,
  chain: { authorized: boolean; error?: string },
  nowMs: number,
  minDaysLeft: number,
): Attempt {
  if (!cert.raw) return { ok: false, detail: "no certificate was served" };
  const who = describe(cert);
  if (checkServerIdentity(host, cert)) {
    return { ok: false, detail: `the certificate does not cover ${host} (${who})` };
  }
  if (!chain.authorized) {
    const why = chain.error ?? "unknown reason";
    return { ok: false, detail: `the certificate chain does not verify: ${why} (${who})` };
  }
  const daysLeft = Math.floor((Date.parse(cert.valid_to) - nowMs) / DAY_MS);
  const left = `${daysLeft} day${daysLeft === 1 ? "" : "s"} left (expires ${cert.valid_to})`;
  if (daysLeft < minDaysLeft) {
    return { ok: false, detail: `${who}: only ${left}, fewer than minDaysLeft ${minDaysLeft}` };
  }
  return { ok: true, detail: `${who}: ${left}` };
}

/** One try: a TLS handshake with host (sent as the server name), then the served certificate judged. */
export async function attemptTls(spec: TlsCheckSpec, deps: CheckDeps, timeoutMs: number): Promise<Attempt> {
  const host = expand(spec.host, deps);
  const stuck = unresolved(host);
  if (stuck) return stuck;
  const port = spec.port ?? DEFAULT_PORT;
  const now = deps.wallTime ?? Date.now;
  const result = await within(deps, timeoutMs, async (signal) => {
    const socket = connect({
      host,
      port,
      // An IP address may not be sent as a server name (RFC 6066).
      ...(isIP(host) ? {} : { servername: host }),
      // The verdict is judge()'s, so that it can say which of its conditions failed.
      rejectUnauthorized: false,
      ...(deps.trustedCertificates ? { ca: deps.trustedCertificates } : {}),
    });
    const handshake = new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", resolve);
      socket.once("error", reject);
    });
    try {
      await untilAborted(signal, handshake, () => socket.destroy());
      // Typed as an Error, but node gives the OpenSSL code as a string (DEPTH_ZERO_SELF_SIGNED_CERT).
      const reason: unknown = socket.authorizationError;
      const why = reason instanceof Error ? reason.message : reason ? String(reason) : undefined;
      const chain = { authorized: socket.authorized, ...(why ? { error: why } : {}) };
      return judge(
        host,
        socket.getPeerCertificate(),
        chain,
        now(),
        spec.minDaysLeft ?? DEFAULT_MIN_DAYS_LEFT,
      );
    } finally {
      socket.destroy();
    }
  });
  return result.ok ? result : { ...result, detail: `${host}:${port}: ${result.detail}` };
}
