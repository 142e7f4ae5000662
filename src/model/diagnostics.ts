export type SourceLocation = { file: string; line: number; column: number };

export type Severity = "error" | "warning";

/** A problem found in the input, pointing at where it is and, when we can, how to fix it. */
export type Diagnostic = {
  severity: Severity;
  location?: SourceLocation;
  /** Dotted path inside the environment, e.g. `targetGroups.web.port`. */
  path?: string;
  message: string;
  hint?: string;
};

export function formatLocation(location: SourceLocation | undefined): string {
  return location ? `${location.file}:${location.line}:${location.column}` : "";
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = formatLocation(d.location);
  const head = [where, d.path ? `${d.path}:` : ""].filter(Boolean).join(" ");
  const hint = d.hint ? ` (${d.hint})` : "";
  return `${head ? head + " " : ""}${d.severity === "warning" ? "warning: " : ""}${d.message}${hint}`;
}

/** Thrown only for failures of the outside world (AWS, network, credentials), never for bad input. */
export class ParityError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "ParityError";
  }
}
