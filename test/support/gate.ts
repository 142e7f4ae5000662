import { createServer, request as httpRequest } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { callName } from "../../bench/recorder.js";

/**
 * A loopback proxy in front of moto that holds the AWS calls `hold` picks (by `service:Action`,
 * e.g. `ec2:CreateSecurityGroup`) until `open()`. A test that needs "this apply is still
 * running while that happens" makes it so, instead of hoping the machine is fast enough.
 */
export type Gate = {
  endpoint: string;
  /** Resolves once `n` calls are being held. */
  holding(n: number): Promise<void>;
  /** Lets the held calls through, and every later one. */
  open(): void;
  close(): Promise<void>;
};

type Held = { forward: () => void };

export async function gate(target: string, hold: (call: string) => boolean): Promise<Gate> {
  const upstream = new URL(target);
  const held: Held[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let isOpen = false;

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on("error", () => res.destroy());
    proxied.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
      );
      const call = callName({ headers, method: req.method ?? "GET", body: body.toString("utf8") });
      if (isOpen || !hold(call)) return forward(req, body, res);
      held.push({ forward: () => forward(req, body, res) });
      for (const w of waiters.filter((w) => held.length >= w.n)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holding: (n) =>
      held.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    open() {
      isOpen = true;
      for (const h of held.splice(0)) h.forward();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
