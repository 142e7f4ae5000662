import type { DeliveryNodeSpec } from "./schema.js";
import { deliverySettings } from "./schema.js";

/** `text` as one word for sh, whatever it holds. */
export function shellQuote(text: string): string {
  return `'${text.split("'").join(`'\\''`)}'`;
}

/**
 * The shell script SSM Run Command runs on each instance (`AWS-RunShellScript`, as root). It names
 * parameters, never values: the instance reads each one from Parameter Store itself, in the
 * environment's region, so no secret is in the command, in parity's output or in SSM's history.
 * The file is written beside its final place and moved over it, so the app never reads half a file,
 * and a failure anywhere leaves the old file and skips the restart.
 */
export function deliveryScript(spec: DeliveryNodeSpec, region: string): string[] {
  const s = deliverySettings(spec);
  const lines = [
    "set -eu",
    "umask 077",
    `file=${shellQuote(s.file)}`,
    `tmp=$(mktemp "$(dirname "$file")/.parity-env.XXXXXX")`,
    `trap 'rm -f "$tmp"' EXIT`,
    `nl='`,
    `'`,
    `value() { aws ssm get-parameter --region ${shellQuote(region)} --name "$1" --with-decryption --query Parameter.Value --output text; }`,
    // A line break would end the .env line early and start another: refuse it rather than guess.
    `line() { v=$(value "$2"); case "$v" in *"$nl"*) echo "$1 holds a line break, which a .env line cannot" >&2; exit 1;; esac; printf '%s=%s\\n' "$1" "$v" >> "$tmp"; }`,
    ...[...spec.keys].sort().map((key) => `line ${key} ${shellQuote(`${spec.path}${key}`)}`),
    `chown ${shellQuote(s.owner)} "$tmp"`,
    `chmod ${s.mode} "$tmp"`,
    `mv -f "$tmp" "$file"`,
    "trap - EXIT",
    `echo "wrote $file"`,
  ];
  return s.restart ? [...lines, s.restart] : lines;
}
