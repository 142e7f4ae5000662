import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:tls";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Certificate = { cert: string; key: string };

/**
 * A self-signed certificate made now with openssl, for `subjectAltName` (e.g.
 * "IP:127.0.0.1"), valid for `days`. A test trusts it by passing `cert` as the authority.
 */
export function makeCertificate(commonName: string, subjectAltName: string, days: number): Certificate {
  const dir = mkdtempSync(join(tmpdir(), "parity-cert-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
        ...["-keyout", key, "-out", cert, "-days", String(days), "-subj", `/CN=${commonName}`],
        ...["-addext", `subjectAltName=${subjectAltName}`],
      ],
      { stdio: "ignore" },
    );
    return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type TlsServer = { port: number; close(): Promise<void> };

/** A TLS server on loopback that serves `certificate` and hangs up after the handshake. */
export async function startTlsServer(certificate: Certificate): Promise<TlsServer> {
  const server = createServer(certificate, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
