import { formatPath, locate } from "../model/index.js";
import type { DesiredNode, Diagnostic, SourceLocation, Value } from "../model/index.js";
import { groupMembers } from "./graph.js";

/**
 * The names a certificate is valid for, from the file (`{ domain }`) and, once discovery has run,
 * from the account (every subject alternative name of the certificate it resolves to). Undefined
 * when they cannot be known (an ARN discovery did not see).
 */
export type CertificateNames = (certificate: Value | undefined, region: string) => string[] | undefined;

/** What the file alone says: `{ domain: "*.example.com" }` is valid for that name; an ARN says nothing. */
export const fileCertificateNames: CertificateNames = (certificate) => {
  const domain =
    typeof certificate === "object" && certificate !== null && !Array.isArray(certificate)
      ? certificate.domain
      : undefined;
  return typeof domain === "string" ? [domain] : undefined;
};

/** The environment as wiring rules see it: its resolved nodes, never the raw file. */
export type WiringView = {
  region: string;
  nodes: DesiredNode[];
  /** The nodes of one resource type, in file order. */
  ofType(type: string): DesiredNode[];
  /** The nodes a `kind.name` reference names (every member of an instance group); none for anything else. */
  referenced(reference: Value | undefined): DesiredNode[];
  certificateNames: CertificateNames;
};

/** One wiring problem: a node, and where inside its spec (`at`, relative to the node's place in the file). */
export type WiringFinding = {
  address: string;
  at?: (string | number)[];
  /** Point at the key rather than its value (a missing setting). */
  atKey?: boolean;
  message: string;
  hint?: string;
};

/** A kind's contribution: the rules about its own nodes, reading others through the view. */
export type WiringRule = (view: WiringView) => WiringFinding[];

export type WiringInput = {
  nodes: DesiredNode[];
  rules: WiringRule[];
  region: string;
  /** Positions of the merged file, for the findings' locations. */
  locations: Map<string, SourceLocation>;
  certificates?: CertificateNames;
  /** `--strict`: findings are errors. */
  strict?: boolean;
};

export function wiringView(nodes: DesiredNode[], region: string, certificates: CertificateNames): WiringView {
  const groups = groupMembers(nodes);
  return {
    region,
    nodes,
    ofType: (type) => nodes.filter((n) => n.type === type),
    referenced: (reference) => (typeof reference === "string" ? (groups.get(reference) ?? []) : []),
    certificateNames: certificates,
  };
}

/**
 * Checks the environment as a whole for the wiring mistakes that break promotions (DESIGN.md
 * "Wiring checks"), from every kind's rules. Pure: nodes in, diagnostics with positions out, in
 * file order like a compiler's messages.
 */
export function checkWiring(input: WiringInput): Diagnostic[] {
  const view = wiringView(input.nodes, input.region, input.certificates ?? fileCertificateNames);
  const byAddress = new Map(input.nodes.map((n) => [n.address, n]));
  const severity = input.strict ? "error" : "warning";
  const diagnostics = input.rules
    .flatMap((rule) => rule(view))
    .map((finding): Diagnostic => {
      const path = [...(byAddress.get(finding.address)?.path ?? []), ...(finding.at ?? [])];
      const location = locate(input.locations, path, finding.atKey === true);
      return {
        severity,
        ...(location ? { location } : {}),
        path: formatPath(path) || finding.address,
        message: finding.message,
        ...(finding.hint ? { hint: finding.hint } : {}),
      };
    });
  const key = (d: Diagnostic) => d.location ?? { file: "\uffff", line: 0, column: 0 };
  return diagnostics.sort(
    (a, b) =>
      key(a).file.localeCompare(key(b).file) || key(a).line - key(b).line || key(a).column - key(b).column,
  );
}

/** Host names compare without case and without Route53's trailing dot. */
export function hostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** A certificate name covers a host exactly, or as a wildcard for exactly one label. */
export function covers(certificateName: string, host: string): boolean {
  const cert = hostName(certificateName);
  const name = hostName(host);
  if (cert === name) return true;
  if (!cert.startsWith("*.")) return false;
  const dot = name.indexOf(".");
  return dot > 0 && name.slice(dot + 1) === cert.slice(2);
}

/** The finding for a host a certificate does not cover, as every rule about certificates words it. */
export function notCovered(
  host: string,
  what: string,
  certificate: string[],
  at: { address: string; at?: (string | number)[] },
): WiringFinding {
  return {
    ...at,
    message: `${host} is not covered by the certificate of ${what} (${certificate.join(", ")})`,
    hint: `browsers will refuse https://${host}: use a certificate for ${host} or for *.${host.split(".").slice(1).join(".")}`,
  };
}

/** `kind.name` references among a list of values (ids like `sg-…` name nothing in the file). */
export function references(value: Value | undefined): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((v): v is string => typeof v === "string" && /^[A-Za-z]+\.[A-Za-z0-9_-]+$/.test(v));
}
