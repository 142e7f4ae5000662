import { formatPath, locate } from "../config/yaml.js";
import type { Diagnostic, SourceLocation } from "../model/index.js";
import { certificateCoverage } from "./certificates.js";
import { corsCoverage } from "./cors.js";
import type { Doc, Finding } from "./document.js";
import { healthCheckPaths, publicDatabases, sshOpenToWorld } from "./hygiene.js";
import { fileCertificateNames } from "./names.js";
import type { CertificateNames } from "./names.js";
import { loadBalancerReach } from "./reachability.js";

export { factCertificateNames, fileCertificateNames } from "./names.js";
export type { CertificateNames } from "./names.js";

export type WiringInput = {
  /** The merged document (Environment.document) and its positions (Environment.locations). */
  document: Doc;
  locations: Map<string, SourceLocation>;
  /** The environment's region (after `--region`); defaults to the file's. */
  region?: string;
  /** Certificate names; the file's `{ domain }` alone unless discovery's facts are at hand. */
  certificates?: CertificateNames;
  /** `--strict`: findings are errors. */
  strict?: boolean;
};

/**
 * Checks the environment as a whole for the wiring mistakes that break promotions (DESIGN.md
 * "Wiring checks"). Pure: the document in, diagnostics with file positions out.
 */
export function checkWiring(input: WiringInput): Diagnostic[] {
  const { document: doc, locations } = input;
  const region = input.region ?? (typeof doc.region === "string" ? doc.region : "");
  const findings: Finding[] = [
    ...certificateCoverage(doc, input.certificates ?? fileCertificateNames, region),
    ...corsCoverage(doc),
    ...loadBalancerReach(doc),
    ...healthCheckPaths(doc),
    ...sshOpenToWorld(doc),
    ...publicDatabases(doc),
  ];
  const severity = input.strict ? "error" : "warning";
  const diagnostics = findings.map((f): Diagnostic => {
    const location = locate(locations, f.path, f.atKey === true);
    return {
      severity,
      ...(location ? { location } : {}),
      path: formatPath(f.path),
      message: f.message,
      ...(f.hint ? { hint: f.hint } : {}),
    };
  });
  // In file order, like a compiler's messages (sort is stable: one position keeps check order).
  const key = (d: Diagnostic) => d.location ?? { file: "\uffff", line: 0, column: 0 };
  return diagnostics.sort(
    (a, b) =>
      key(a).file.localeCompare(key(b).file) || key(a).line - key(b).line || key(a).column - key(b).column,
  );
}
