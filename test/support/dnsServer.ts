import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import dnsPacket from "dns-packet";
import type { Answer } from "dns-packet";

/** Records by name: `{ "www.site.test": { CNAME: ["app.site.test"] }, "app.site.test": { A: ["10.0.0.1"] } }`. */
export type Zone = { [name: string]: { A?: string[]; AAAA?: string[]; CNAME?: string[]; TXT?: string[] } };

export type DnsServer = { server: string; close(): Promise<void> };

const NXDOMAIN = 3;

/** The answer section a recursive resolver would give: the CNAME chain, then the records asked for. */
function answersFor(zone: Zone, name: string, type: string): Answer[] | undefined {
  const out: Answer[] = [];
  let current = name.toLowerCase();
  for (let hop = 0; hop < 10; hop++) {
    const records = zone[current];
    if (!records) return out.length ? out : undefined;
    const own = records[type as keyof typeof records];
    if (own) {
      for (const data of own) {
        out.push(
          type === "TXT"
            ? { type: "TXT", name: current, ttl: 60, data: [data] }
            : { type: type as "A", name: current, ttl: 60, data },
        );
      }
      return out;
    }
    const target = records.CNAME?.[0];
    if (!target) return out;
    out.push({ type: "CNAME", name: current, ttl: 60, data: target });
    current = target;
  }
  return out;
}

/**
 * A DNS server on a loopback UDP port answering from `zone`: a name it does not know is
 * NXDOMAIN, a known name without the type asked for an empty answer (ENODATA to node).
 */
export async function startDnsServer(zone: Zone): Promise<DnsServer> {
  const socket = createSocket("udp4");
  socket.on("message", (message, from) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const answers = answersFor(zone, question.name, question.type);
    const response = dnsPacket.encode({
      type: "response",
      id: query.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | (answers ? 0 : NXDOMAIN),
      questions: [question],
      answers: answers ?? [],
    });
    socket.send(response, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
