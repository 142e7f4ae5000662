// Engine names and versions as RDS counts them.

const ENGINE_ALIASES: Record<string, string> = { postgresql: "postgres" };

export function engineName(engine: string): string {
  const lower = engine.toLowerCase();
  return ENGINE_ALIASES[lower] ?? lower;
}

function parts(version: string): number[] {
  return version.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

/** Numeric, part-by-part comparison: 9.6 < 10 < 10.1 < 16.3. */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The major version as RDS counts it: `16` for PostgreSQL 10+, `9.6` before, `8.0` for MySQL. */
export function majorVersion(engine: string, version: string): string {
  const [first = "0", second = "0"] = version.split(".");
  if (engine.includes("postgres") && Number(first) >= 10) return first;
  return `${first}.${second}`;
}
