/** Human-readable counts and sizes for plan notes and progress lines. */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1,240 */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** 512 B, 1.5 KiB, 3.1 GiB: binary units, one decimal once past bytes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  // 1023.96 KiB would round to "1024.0 KiB": show the next unit instead.
  if (value.toFixed(1) === "1024.0" && unit < UNITS.length - 1) return `1.0 ${UNITS[unit + 1]}`;
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** "1,240 objects, 3.1 GiB" (singular for one). */
export function describeObjects(count: number, bytes: number): string {
  return `${formatCount(count)} ${count === 1 ? "object" : "objects"}, ${formatBytes(bytes)}`;
}
